// A wrong configuration stops `npm start` before it does anything: a non-zero exit, one line per problem,
// and never the values (they may be secrets).
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { killServerProcesses, startServerProcess } from '../kit/server-process.js';

afterAll(killServerProcesses);

// Secret-looking values that are wrong for their variable: none of them may ever be printed.
const BAD = {
  PORT: 'abc',
  LOG_LEVEL: 'loud-SECRET-0',
  JWT_SECRET: 'sk-live-SECRET-1-too-short',
  SERVICE_TOKEN: 'svc-SECRET-2-short',
  METRICS_TOKEN: 'metrics-SECRET-3-short',
  REDIS_URL: 'http://:hunter2-SECRET-4@cache.internal:6379',
  RATE_LIMIT_PER_MINUTE: 'lots-SECRET-5',
  TRUST_PROXY: 'yes-SECRET-6',
};

/** The problems loadConfig finds in `env` (none: []). */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as ConfigError).problems;
  }
  return [];
}

describe('an invalid configuration', () => {
  it('stops the server with exit code 1, one line per problem, and no secret values', async () => {
    const failure = (await startServerProcess({ ...BAD, DATABASE_URL: undefined }, { timeoutMs: 60_000 }).catch((e: unknown) => e)) as {
      code: number | null;
      output: string;
    };
    expect(failure.code).toBe(1);
    const lines = failure.output.split('\n').filter((l) => l.trim());
    // Nothing but the problems: no stack trace, no log, no banner.
    expect(
      lines.every((l) => l.startsWith('config: ')),
      failure.output,
    ).toBe(true);
    expect(lines.map((l) => /^config: ([A-Z_]+): \S/.exec(l)?.[1]).sort()).toEqual(Object.keys(BAD).sort());
    expect(failure.output).not.toMatch(/SECRET-\d|hunter2|\babc\b/);
  });

  it('lists every problem at once in ConfigError, values left out', () => {
    let error: unknown;
    try {
      loadConfig({ ...BAD, NODE_ENV: 'production', JWT_SECRET: undefined });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toContain('JWT_SECRET or JWT_JWKS_URL: one is required when NODE_ENV=production');
    expect(problems).toHaveLength(Object.keys(BAD).length);
    expect(message).not.toMatch(/SECRET-\d|hunter2|\babc\b/);
  });

  it('refuses replicas without a primary, and a replica URL that is not PostgreSQL, naming no credentials', () => {
    expect(problemsOf({ DATABASE_REPLICA_URLS: 'postgresql://r@replica:5432/wp' })).toEqual([
      'DATABASE_REPLICA_URLS: replicas need their primary in DATABASE_URL (the embedded database has none)',
    ]);
    const wrong = problemsOf({
      DATABASE_URL: 'postgresql://p@primary/wp',
      DATABASE_REPLICA_URLS: 'postgresql://r@a/wp, mysql://u:SECRET-9@b/wp',
    });
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatch(/^DATABASE_REPLICA_URLS\.1: each must be a postgres/);
    expect(wrong.join()).not.toMatch(/SECRET-9/);
    const config = loadConfig({
      DATABASE_URL: 'postgresql://p@primary/wp',
      DATABASE_REPLICA_URLS: ' postgresql://r@a/wp ,postgres://r@b/wp,',
    });
    expect(config.database.mode === 'postgres' && config.database.replicas).toEqual({
      urls: ['postgresql://r@a/wp', 'postgres://r@b/wp'],
      maxLagMs: 2_000,
      pollMs: 100,
    });
  });

  it('takes DATABASE_DIRECT_URL only beside DATABASE_URL, and never prints it', () => {
    expect(problemsOf({ DATABASE_DIRECT_URL: 'postgresql://u:SECRET-10@db:5432/wp' })).toEqual([
      'DATABASE_DIRECT_URL: goes with DATABASE_URL (the pooler in front of the same database); the embedded database has none',
    ]);
    const wrong = problemsOf({ DATABASE_URL: 'postgresql://u@pgbouncer:6432/wp', DATABASE_DIRECT_URL: 'mysql://u:SECRET-11@db/wp' });
    expect(wrong).toEqual(['DATABASE_DIRECT_URL: must be a postgres:// or postgresql:// URL']);
    expect(wrong.join()).not.toMatch(/SECRET-11/);
    const pooled = loadConfig({ DATABASE_URL: 'postgresql://u@pgbouncer:6432/wp', DATABASE_DIRECT_URL: 'postgres://u@db:5432/wp' });
    expect(pooled.database.mode === 'postgres' && pooled.database.directUrl).toBe('postgres://u@db:5432/wp');
    // Unset (or empty, as .env files leave it): DATABASE_URL is direct.
    const direct = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/wp', DATABASE_DIRECT_URL: '' });
    expect(direct.database.mode === 'postgres' && direct.database.directUrl).toBeUndefined();
  });

  it('accepts off for the rate limits', () => {
    const config = loadConfig({ RATE_LIMIT_PER_MINUTE: 'off', RATE_LIMIT_ANON_PER_MINUTE: '0', TRUST_PROXY: '2' });
    expect(config.rateLimit).toEqual({ perMinute: 0, anonymousPerMinute: 0 });
    expect(config.server.trustProxy).toBe(2);
  });
});
