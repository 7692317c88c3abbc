// Read replicas against real streaming replication: a private primary and a hot standby made from it with
// pg_basebackup -R, two API processes sharing Redis. Replay is paused on the standby
// (pg_wal_replay_pause) to make its lag as long as each test needs. Statements are counted in each
// server's own log (log_statement=all), so "it read the replica" is the server's word, not ours.
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { migrate } from '../../src/infra/database/migrator.js';
import { openDatabase } from '../../src/infra/database/open-database.js';
import { EXPORT_PATH } from '../../src/services/export-weekly-reports.js';
import { TEST_JWT_SECRET } from '../kit/api.js';
import { requiredMode } from '../kit/database-names.js';
import { startPrivatePostgres, startStandby, type PrivatePostgres } from '../kit/private-postgres.js';
import { dropPrefix, redisUrl, uniquePrefix } from '../kit/redis.js';
import { seedTeam, viewersOf, type Viewers } from '../kit/scenarios.js';
import { killServerProcesses, startServerProcess, waitFor, type ServerProcess } from '../kit/server-process.js';

const HAS_SERVER_BINARIES = existsSync('/usr/lib/postgresql');
// Where PostgreSQL is required (CI), missing server binaries or Redis fail the suite instead of skipping it.
const run = (HAS_SERVER_BINARIES && !!redisUrl()) || requiredMode() === 'postgres';
const MAX_LAG_MS = 2_000;
const POLL_MS = 50;

let primary: PrivatePostgres;
let standby: PrivatePostgres;
let standbyAdmin: pg.Client;
let a: ServerProcess;
let b: ServerProcess;
let viewers: Viewers;
let tokens: { analyst: string; employee: string };
const prefix = uniquePrefix();
const sign = createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '10m' });
const wp = (server: PrivatePostgres) => server.url.replace(/\/postgres$/, '/wp');

beforeAll(async () => {
  if (!run) return;
  primary = await startPrivatePostgres({ settings: ['log_statement=all'] });
  const admin = new pg.Client({ connectionString: primary.url });
  await admin.connect();
  await admin.query('CREATE DATABASE wp');
  await admin.end();
  const db = await openDatabase({ mode: 'postgres', url: wp(primary), poolSize: 2 });
  await migrate(db.sql);
  viewers = viewersOf(await seedTeam(db, { users: 30, weeks: 2 }));
  await db.close();
  standby = await startStandby(primary, { settings: ['log_statement=all'] });
  standbyAdmin = new pg.Client({ connectionString: wp(standby) });
  // The last test stops the standby under this session.
  standbyAdmin.on('error', () => undefined);
  await standbyAdmin.connect();
  tokens = { analyst: await sign(String(viewers.analyst)), employee: await sign(String(viewers.employee)) };
  const env = {
    DATABASE_URL: wp(primary),
    DATABASE_REPLICA_URLS: wp(standby),
    REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
    REPLICA_POLL_MS: String(POLL_MS),
    JWT_SECRET: TEST_JWT_SECRET,
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: prefix,
    RESPONSE_CACHE: 'on',
    // Long enough that a poisoned entry would still be served at the end of a test.
    RESPONSE_CACHE_TTL_MS: '60000',
    REPORT_CRON: 'off',
    RATE_LIMIT_PER_MINUTE: '0',
    DATABASE_POOL_SIZE: '4',
  };
  [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
}, 180_000);

afterAll(async () => {
  killServerProcesses();
  await standbyAdmin?.end().catch(() => undefined);
  standby?.destroy();
  primary?.destroy();
  const url = redisUrl();
  if (url) await dropPrefix(url, prefix);
});

async function graphql(api: ServerProcess, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  return { status: response.status, ...body };
}

/** Statements that read or wrote weekly_reports, as each server logged them. */
const reportStatements = (server: PrivatePostgres) =>
  server
    .log()
    .split('\n')
    .filter((line) => line.includes('weekly_reports')).length;

const COUNT = '{ weeklyReports(first: 1) { totalCount } }';
const countOn = async (api: ServerProcess) => {
  const answer = await graphql(api, tokens.analyst, COUNT);
  expect(answer.errors).toBeUndefined();
  return (answer.data as { weeklyReports: { totalCount: number } }).weeklyReports.totalCount;
};
const MINE = '{ me { reports(first: 20) { edges { node { week stressLevel } } } } }';
const myWeeks = async (api: ServerProcess) => {
  const answer = await graphql(api, tokens.employee, MINE);
  expect(answer.errors).toBeUndefined();
  return (answer.data as { me: { reports: { edges: { node: { week: string } }[] } } }).me.reports.edges.map((e) => e.node.week);
};
let nextWeek = 10;
const submit = async (api: ServerProcess) => {
  const week = `2026-W${String(nextWeek++).padStart(2, '0')}`;
  const answer = await graphql(
    api,
    tokens.employee,
    'mutation($i: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $i) { report { week } } }',
    { i: { week, workdays: 4, stressLevel: 3, highlights: 'replica test' } },
  );
  expect(answer.errors).toBeUndefined();
  return week;
};
/** Pauses replay, and waits until it has (pg_wal_replay_pause only asks for it). */
const pauseReplay = async () => {
  await standbyAdmin.query('SELECT pg_wal_replay_pause()');
  await waitFor('replay to pause', async () => {
    const { rows } = await standbyAdmin.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state');
    return rows[0]!.state === 'paused';
  });
};
const replayed = async () => (await standbyAdmin.query<{ lsn: string }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows[0]!.lsn;
const caughtUp = async () => {
  const admin = new pg.Client({ connectionString: wp(primary) });
  await admin.connect();
  try {
    // The insert position: the kit's primary commits asynchronously, so the write position can trail a commit.
    const { rows } = await admin.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    const target = rows[0]!.lsn;
    await waitFor('the standby to replay the primary', async () => {
      const { rows: done } = await standbyAdmin.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [target]);
      return done[0]!.ok;
    });
  } finally {
    await admin.end();
  }
};
const readiness = async (api: ServerProcess) =>
  (await (await fetch(new URL('/readyz', api.url))).json()) as {
    status: string;
    replicas?: { name: string; state: string; lagMs: number | null }[];
  };

describe.runIf(run)('read replicas (streaming replication)', () => {
  it('sends queries to the replica and reports it in /readyz and /metrics', async () => {
    await waitFor('the replica to be up on both instances', async () =>
      (await Promise.all([readiness(a), readiness(b)])).every((r) => r.replicas?.[0]?.state === 'up'),
    );
    const [onPrimary, onStandby] = [reportStatements(primary), reportStatements(standby)];
    for (let first = 1; first <= 10; first++) {
      const answer = await graphql(a, tokens.analyst, 'query($n: Int!) { weeklyReports(first: $n) { edges { node { week } } } }', {
        n: first,
      });
      expect(answer.errors).toBeUndefined();
    }
    expect(reportStatements(standby) - onStandby).toBeGreaterThanOrEqual(10);
    expect(reportStatements(primary) - onPrimary).toBe(0);
    const metrics = await (await fetch(new URL('/metrics', a.url))).text();
    expect(metrics).toMatch(new RegExp(`database_reads_total\\{target="127\\.0\\.0\\.1:${standby.port}"\\} ([1-9]\\d*)`));
    expect(metrics).toMatch(new RegExp(`database_replica_lag_seconds\\{replica="127\\.0\\.0\\.1:${standby.port}"\\} \\d`));
  });

  it('shows a viewer their own write on another instance, through the response cache, while replay is paused', async () => {
    const before = await myWeeks(b); // cached on b (and in the shared Redis)
    await pauseReplay();
    try {
      const onStandby = reportStatements(standby);
      const week = await submit(a);
      // The very next read, on the other instance: the replica has not replayed the write, so the primary answers.
      expect(await myWeeks(b)).toEqual([...before, week].sort().reverse());
      expect(reportStatements(standby)).toBe(onStandby);
    } finally {
      await standbyAdmin.query('SELECT pg_wal_replay_resume()');
    }
    await caughtUp();
  });

  it('lets other viewers read a paused replica only within REPLICA_MAX_LAG_MS, and never caches what it answered', async () => {
    const before = await countOn(b);
    await pauseReplay();
    const pausedAt = await replayed();
    let staleSeen = false;
    try {
      const wroteAt = Date.now();
      await submit(a);
      // Another viewer: the replica may answer while it is less than REPLICA_MAX_LAG_MS behind...
      let count = before;
      while (count === before) {
        count = await countOn(b);
        if (count === before) {
          staleSeen = true;
          expect(Date.now() - wroteAt).toBeLessThan(MAX_LAG_MS + 20 * POLL_MS + 1_000);
        }
      }
      expect(count).toBe(before + 1);
      // ...then the primary does, and /readyz says why.
      expect((await readiness(b)).replicas?.[0]?.state).toBe('lagging');
      expect(await replayed()).toBe(pausedAt);
    } finally {
      await standbyAdmin.query('SELECT pg_wal_replay_resume()');
    }
    // The replica answered the old count right after the write (the race is real)...
    expect(staleSeen).toBe(true);
    await caughtUp();
    await waitFor('the replica to be up again', async () => (await readiness(b)).replicas?.[0]?.state === 'up');
    // ...and that answer was not stored after the write's invalidation: a 60 s entry would still be served.
    expect(await countOn(b)).toBe(before + 1);
    expect(await countOn(a)).toBe(before + 1);
  });

  it('runs CSV exports on the replica', async () => {
    await waitFor('the replica to be up', async () => (await readiness(a)).replicas?.[0]?.state === 'up');
    const copies = () =>
      standby
        .log()
        .split('\n')
        .filter((line) => /COPY \(/.test(line)).length;
    const before = copies();
    const response = await fetch(new URL(`${EXPORT_PATH}?from=2026-W46`, a.url), {
      headers: { authorization: `Bearer ${tokens.analyst}` },
    });
    expect(response.status).toBe(200);
    expect((await response.text()).split('\n').length).toBeGreaterThan(2);
    expect(copies()).toBeGreaterThan(before);
  });

  it('loses no request when the standby stops under load, and reports it down', async () => {
    const failures: string[] = [];
    let answered = 0;
    let stopping = true;
    let sent = 0;
    const load = async () => {
      while (stopping) {
        try {
          // A new alias each time: a new cache key, so every request reads the database (no cache hit hides it).
          const answer = await graphql(
            a,
            tokens.analyst,
            `{ r${sent++}: weeklyReports(first: 5) { edges { node { week stressLevel } } } }`,
          );
          if (answer.status !== 200 || answer.errors) failures.push(JSON.stringify(answer).slice(0, 300));
          else answered++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = Array.from({ length: 4 }, load);
    await new Promise((resolve) => setTimeout(resolve, 500));
    standby.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stopping = false;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(10);
    expect((await readiness(a)).replicas?.[0]?.state).toBe('down');
  });
});
