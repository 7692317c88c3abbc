// GET /export/weekly-reports.csv?from=&to=&country=&city= for ANALYST and ADMIN, with a bearer token or a
// short-lived `token` from `exportUrl`. Streams CSV in keyset-paged batches: the next batch is read only
// when the client has taken the previous one (backpressure), and a client that goes away stops the reading.
// Each export holds a pool connection while it runs, so their number is capped per process and per user,
// and a client that stops reading is cut off; the first batch is read before the 200 is sent, so a bad
// filter or a database that is down gets an error status instead of a truncated file.
import type { Plugin } from 'graphql-yoga';

type OnRequestPayload = Parameters<NonNullable<Plugin['onRequest']>>[0];
import type { Config } from '../config.js';
import { isUser, readsEverything, type Viewer } from '../domain/viewer.js';
import type { SqlClient } from '../infra/database/sql-client.js';
import { isDatabaseUnavailable } from '../infra/database/unavailable.js';
import type { ExportTokens } from '../infra/auth/export-token.js';
import type { Logger } from '../infra/logger.js';
import { csvHeader, EXPORT_PATH, exportWeeklyReportsCsv, parseExportFilter, type ExportFilter } from '../services/export-weekly-reports.js';
import { errorResponse } from './error-response.js';
import { viewerOf, type Identities, type Identity } from './identity.js';
import { RETRY_AFTER_S } from './mask-error.js';

/** Seconds a refused client should wait while exports are busy. */
const BUSY_RETRY_AFTER_S = 10;

/** Counts the exports running in this process, in all and per user; `take` returns the release, or null when full. */
function createExportSlots({ maxConcurrent, maxPerUser }: Config['exports']) {
  let running = 0;
  const perUser = new Map<number, number>();
  return {
    take(userId: number): (() => void) | null {
      const mine = perUser.get(userId) ?? 0;
      if (running >= maxConcurrent || mine >= maxPerUser) return null;
      running += 1;
      perUser.set(userId, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        running -= 1;
        const left = (perUser.get(userId) ?? 1) - 1;
        if (left > 0) perUser.set(userId, left);
        else perUser.delete(userId);
      };
    },
  };
}

/** The answer when the first batch fails, before any CSV was sent. */
function failedToStart(error: unknown, logger: Logger): Response {
  if (isDatabaseUnavailable(error)) {
    logger.warn('export refused: the database is unavailable');
    return errorResponse('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly.', {
      headers: { 'retry-after': String(RETRY_AFTER_S) },
    });
  }
  // SQLSTATE class 22 (data exception): a filter value the database cannot take.
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('22'))
    return errorResponse('BAD_USER_INPUT', 'The filter holds a value the database cannot read.');
  logger.error({ err: error }, 'export failed before its first batch');
  return errorResponse('INTERNAL_SERVER_ERROR', 'Unexpected error.');
}

export function useExportRoute(deps: {
  /** Raw SQL for the rows themselves (flat rows stream faster and lighter than Prisma objects). */
  sql: SqlClient;
  /** With read replicas: the client this viewer's export reads with (read-routing.ts); default `sql`. */
  sqlFor?: (viewer: Viewer) => Promise<SqlClient>;
  identities: Identities;
  exportTokens?: ExportTokens;
  logger: Logger;
  limits: Config['exports'];
}): Plugin {
  const slots = createExportSlots(deps.limits);
  return {
    // Synchronous for every other path: an async hook would cost each request a promise and a tick.
    onRequest(payload) {
      if (payload.url.pathname === EXPORT_PATH) return serve(payload);
    },
  };

  async function serve({ request, url, endResponse }: OnRequestPayload): Promise<void> {
    if (request.method !== 'GET') return endResponse(errorResponse('METHOD_NOT_ALLOWED', 'Use GET.'));
    const token = url.searchParams.get('token');
    let filter: ExportFilter | string = parseExportFilter(url.searchParams);
    let identity: Identity;
    if (token) {
      // A link names its user and carries the signed filter, which replaces the URL's.
      const grant = deps.exportTokens ? await deps.exportTokens.verify<ExportFilter>(token) : null;
      if (grant) filter = grant.filter;
      identity = grant ? await deps.identities.ofLinkUser(request, grant.userId) : { outcome: 'refused' };
    } else {
      identity = await deps.identities.of(request);
    }
    // The user lookup failed because the database is down: that is no reason to call the token bad.
    if (identity.outcome === 'unavailable') return endResponse(failedToStart(identity.error, deps.logger));
    if (identity.outcome === 'failed') throw identity.error;
    const viewer = viewerOf(identity);
    if (!viewer) return endResponse(errorResponse('UNAUTHENTICATED', 'Authentication required: a bearer token or a valid export link.'));
    if (!readsEverything(viewer)) return endResponse(errorResponse('FORBIDDEN', 'Exports are for ANALYST and ADMIN.'));
    if (typeof filter === 'string') return endResponse(errorResponse('BAD_USER_INPUT', filter));

    const release = isUser(viewer) ? slots.take(viewer.id) : null;
    if (!release) {
      return endResponse(
        errorResponse('EXPORT_BUSY', `Too many CSV exports are running; try again in ${BUSY_RETRY_AFTER_S} s.`, {
          headers: { 'retry-after': String(BUSY_RETRY_AFTER_S) },
        }),
      );
    }

    const sql = deps.sqlFor ? await deps.sqlFor(viewer) : deps.sql;
    const batches = exportWeeklyReportsCsv({ sql, filter });
    let first: IteratorResult<string | Uint8Array>;
    try {
      // A connection and the first chunk, before the status is committed.
      first = await batches.next();
    } catch (error) {
      release();
      return endResponse(failedToStart(error, deps.logger));
    }
    const encoder = new TextEncoder();
    const bytes = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    let stallTimer: NodeJS.Timeout | undefined;
    // Stops the reading (which drops the COPY's connection), then frees the slot.
    const stop = () => {
      clearTimeout(stallTimer);
      batches
        .return(undefined)
        .catch((error) => deps.logger.warn({ err: error }, 'export: stopping the reading failed'))
        .finally(release);
    };
    // Armed whenever the stream waits for the client to take what it has: a client that stops reading
    // must not keep a connection (and its open snapshot) forever.
    const awaitClient = (controller: ReadableStreamDefaultController<Uint8Array>) => {
      stallTimer = setTimeout(() => {
        deps.logger.warn({ stallTimeoutMs: deps.limits.stallTimeoutMs }, 'export cut off: the client stopped reading');
        controller.error(new Error('export stalled: the client stopped reading'));
        stop();
      }, deps.limits.stallTimeoutMs);
    };
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controller.enqueue(encoder.encode(`\ufeff${csvHeader()}`));
          if (first.done) {
            controller.close();
            release();
            return;
          }
          controller.enqueue(bytes(first.value));
          awaitClient(controller);
        },
        async pull(controller) {
          clearTimeout(stallTimer);
          try {
            const next = await batches.next();
            if (next.done) {
              controller.close();
              release();
            } else {
              controller.enqueue(bytes(next.value));
              awaitClient(controller);
            }
          } catch (error) {
            deps.logger.error({ err: error }, 'export failed mid-stream');
            controller.error(error);
            release();
          }
        },
        cancel() {
          stop();
        },
      },
      { highWaterMark: 1 },
    );
    const name = ['weekly-reports', filter.from, filter.to, filter.country, filter.city]
      .filter(Boolean)
      .join('_')
      .replace(/[^\w.-]+/g, '-');
    endResponse(
      new Response(stream, {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${name}.csv"`,
          'cache-control': 'no-store',
        },
      }),
    );
  }
}
