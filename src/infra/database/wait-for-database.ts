// At start, waits for a PostgreSQL server that is down or still starting (retrying with backoff and a
// clear log line per attempt) instead of exiting; any other failure (wrong database, refused login) is
// final at once.
import pRetry from 'p-retry';
import type { SqlClient } from './sql-client.js';
import { isDatabaseUnavailable } from './unavailable.js';

export interface WaitOptions {
  /** Where the server is, as host:port (never the URL: it may hold a password). */
  address: string;
  log: (message: string, fields: Record<string, unknown>) => void;
  /** Aborted on shutdown (SIGTERM while waiting). */
  signal?: AbortSignal;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export async function waitForDatabase(
  sql: SqlClient,
  { address, log, signal, minDelayMs = 500, maxDelayMs = 10_000 }: WaitOptions,
): Promise<void> {
  let delayMs = minDelayMs;
  await pRetry(() => sql.query('SELECT 1'), {
    retries: Number.POSITIVE_INFINITY,
    minTimeout: minDelayMs,
    maxTimeout: maxDelayMs,
    factor: 2,
    randomize: false,
    signal,
    shouldRetry: ({ error }) => isDatabaseUnavailable(error),
    onFailedAttempt: ({ error, attemptNumber }) => {
      if (!isDatabaseUnavailable(error)) return;
      const reason = (error as { code?: string }).code ?? error.message;
      log(`PostgreSQL at ${address} is not reachable (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`, {
        attempt: attemptNumber,
        address,
        reason,
        delayMs,
      });
      delayMs = Math.min(delayMs * 2, maxDelayMs);
    },
  });
}

/** host:port of a PostgreSQL URL, for log lines. */
export function databaseAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}`;
  } catch {
    return 'the configured server';
  }
}
