// weekly-pulse behind Debian's PgBouncer in transaction pooling mode with 5 server connections: migrations
// (over DATABASE_DIRECT_URL, and through the pooler alone), queries and mutations under concurrency, the
// weekly summary's lease with two triggers at once, the CSV export's COPY, and the viewer cache's LISTEN
// (which needs a session of its own: DATABASE_DIRECT_URL). Real API processes, real PostgreSQL.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { migrate } from '../../src/infra/database/migrator.js';
import { openDatabase } from '../../src/infra/database/open-database.js';
import { EXPORT_COLUMNS, EXPORT_PATH } from '../../src/services/export-weekly-reports.js';
import { SUMMARY_LOCK } from '../../src/services/run-weekly-summary.js';
import { TEST_JWT_SECRET, TEST_SERVICE_TOKEN } from '../kit/api.js';
import { createEmptyDatabase, createTestDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';
import { requiredMode } from '../kit/database-names.js';
import {
  completion,
  fakeOpenAi,
  fakeTelegram,
  type ChatCompletionRequest,
  type FakeServer,
  type TelegramSendMessage,
} from '../kit/fake-providers.js';
import { PGBOUNCER_BIN, type PgBouncer, startPgBouncer } from '../kit/pgbouncer.js';
import { seedTeam, TEAM_END_WEEK, type TeamScenario, viewersOf, type Viewers } from '../kit/scenarios.js';
import { killServerProcesses, postGraphQL, startServerProcess, waitFor, type ServerProcess } from '../kit/server-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER_CONNECTIONS = 5;
/** The advisory lock id of Prisma Migrate and of our migrator. */
const MIGRATION_LOCK_ID = 72707369;
// Where PostgreSQL is required (CI), a missing pgbouncer fails this file (startPgBouncer throws) instead of skipping it.
const run = testDatabaseMode() === 'postgres' && (existsSync(PGBOUNCER_BIN) || requiredMode() === 'postgres');

const bouncers: PgBouncer[] = [];
const databases: TestDatabase[] = [];
async function pooled(db: TestDatabase): Promise<PgBouncer> {
  const bouncer = await startPgBouncer({ upstream: db.url!, poolMode: 'transaction', poolSize: SERVER_CONNECTIONS });
  bouncers.push(bouncer);
  return bouncer;
}
afterAll(async () => {
  killServerProcesses();
  await Promise.all(bouncers.map((b) => b.stop()));
  await Promise.all(databases.map((db) => db.destroy()));
});

/** Server connections PgBouncer holds to the database (any state). */
async function serverConnections(bouncer: PgBouncer, database: string): Promise<number> {
  const pools = await bouncer.admin('SHOW POOLS');
  const pool = pools.find((p) => p.database === database);
  return ['sv_active', 'sv_idle', 'sv_used', 'sv_tested', 'sv_login'].reduce((n, key) => n + Number(pool?.[key] ?? 0), 0);
}
const databaseOf = (db: TestDatabase) => new URL(db.url!).pathname.slice(1);

/** `npm run db:migrate` (scripts/migrate.ts on this Node) with `env`; fails after `timeoutMs`. */
function runMigrateCli(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.runIf(run)('migrations with PgBouncer in transaction mode', () => {
  it('npm run db:migrate migrates over DATABASE_DIRECT_URL, not through the pooler', { timeout: 60_000 }, async () => {
    const db = await createEmptyDatabase();
    databases.push(db);
    const bouncer = await pooled(db);
    // Paused, the pooler answers no query: a migration that went through it would hang until killed.
    await bouncer.admin(`PAUSE ${databaseOf(db)}`);
    let result: { code: number | null; output: string };
    try {
      result = await runMigrateCli({ DATABASE_URL: bouncer.url, DATABASE_DIRECT_URL: db.url! });
    } finally {
      await bouncer.admin(`RESUME ${databaseOf(db)}`);
    }
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/applied \d+ migration\(s\); 0 were already applied/);
    const [row] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL');
    expect(row!.n).toBeGreaterThan(0);
    // And the API's start-up check (pending migrations, read-only) through the pooler agrees.
    const server = await startServerProcess({
      DATABASE_URL: bouncer.url,
      DATABASE_DIRECT_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      REPORT_CRON: 'off',
      REDIS_URL: undefined,
    });
    expect(await server.stop()).toBe(0);
  });

  it('migrate() through the pooler alone, from three clients at once, applies each migration once and leaves no lock held', {
    timeout: 60_000,
  }, async () => {
    const db = await createEmptyDatabase();
    databases.push(db);
    const bouncer = await pooled(db);
    const clients = await Promise.all(Array.from({ length: 3 }, () => openDatabase({ mode: 'postgres', url: bouncer.url, poolSize: 2 })));
    try {
      // Hold the lock from a direct session until all three queue on it, so the runs really overlap, and keep
      // other clients busy on the pooler meanwhile. A session-level lock taken through it stays on whichever
      // server connection ran it, where the next client re-enters it, and its unlock lands on another: the
      // runs collide, or the lock leaks and the others wait forever.
      const traffic = await openDatabase({ mode: 'postgres', url: bouncer.url, poolSize: 4 });
      let busy = true;
      const load = Array.from({ length: 4 }, async () => {
        while (busy) await traffic.sql.query('SELECT pg_sleep(0.002)').catch(() => {});
      });
      const holder = await openDatabase({ mode: 'postgres', url: db.url!, poolSize: 1 });
      let runs: Promise<PromiseSettledResult<Awaited<ReturnType<typeof migrate>>>[]> | undefined;
      try {
        await holder.sql.session(async (session) => {
          await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
          runs = Promise.allSettled(clients.map((c) => migrate(c.sql)));
          await waitFor('three runs to wait for the migration lock', async () => {
            const [row] = await db.sql.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
              [MIGRATION_LOCK_ID],
            );
            return row!.n === clients.length;
          });
          await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
        });
      } finally {
        await holder.close();
      }
      const pending = runs!;
      let outcomes: Awaited<typeof pending>;
      try {
        outcomes = await waitFor(
          'the three runs to finish',
          () => Promise.race([pending, new Promise<undefined>((r) => setTimeout(r, 100))]),
          30_000,
        );
      } finally {
        busy = false;
        // A query stuck behind a leaked lock never ends: then leave it to afterAll, which stops PgBouncer.
        const stopped = await Promise.race([
          Promise.all(load).then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), 5_000)),
        ]);
        if (stopped) await traffic.close();
      }
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
      const results = outcomes.map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof migrate>>>).value);
      const total = Math.max(...results.map((r) => r.applied.length));
      expect(total).toBeGreaterThan(0);
      // One run applied everything; the others found it done.
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, total]);
      const counts = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name');
      expect(counts.map((c) => c.n)).toEqual(Array.from({ length: total }, () => 1));
      // No server connection of the pooler kept the lock for whoever gets it next.
      const [held] = await db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1`,
        [MIGRATION_LOCK_ID],
      );
      expect(held!.n).toBe(0);
      expect(await serverConnections(bouncer, databaseOf(db))).toBeLessThanOrEqual(SERVER_CONNECTIONS);
    } finally {
      // Bounded: a client stuck behind a leaked lock is closed by afterAll, which stops PgBouncer.
      await Promise.race([Promise.all(clients.map((c) => c.close())), new Promise((r) => setTimeout(r, 5_000))]);
    }
  });
});

const sign = createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '10m' });
const USERS_PAGE = '{ users(first: 20) { totalCount edges { node { id name role } } } }';
const SUBMIT = 'mutation($i: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $i) { report { id week user { id } } } }';
const GENERATE = 'mutation($week: IsoWeek) { generateWeeklyReport(week: $week) { summary { id week } } }';
const NEW_WEEK = '2026-W48';

describe.runIf(run)('the API through PgBouncer (transaction mode, 5 server connections)', () => {
  let db: TestDatabase;
  let bouncer: PgBouncer;
  let team: TeamScenario;
  let viewers: Viewers;
  let instances: ServerProcess[];
  let openai: FakeServer<ChatCompletionRequest>;
  let telegram: FakeServer<TelegramSendMessage>;

  beforeAll(async () => {
    [db, openai, telegram] = await Promise.all([createTestDatabase(), fakeOpenAi(), fakeTelegram()]);
    databases.push(db);
    team = await seedTeam(db, { users: 30, weeks: 4 });
    viewers = viewersOf(team);
    // Older weeks in bulk, so the export streams a few megabytes rather than one chunk.
    await db.sql.query(
      `INSERT INTO weekly_reports (user_id, week, workdays, stress_level, highlights, updated_at)
       SELECT u.id, to_char(d, 'IYYY-"W"IW'), 4, 1 + (u.id + extract(week FROM d)::int) % 10, 'Bulk week, "quoted", ' || u.id, now()
       FROM users u, generate_series('2019-01-07'::date, '2025-12-29'::date, interval '7 days') d`,
    );
    bouncer = await pooled(db);
    const env = {
      DATABASE_URL: bouncer.url,
      DATABASE_DIRECT_URL: db.url,
      // More client connections than PgBouncer has server connections: it must multiplex them.
      DATABASE_POOL_SIZE: '10',
      JWT_SECRET: TEST_JWT_SECRET,
      SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_MODEL: 'fake-gpt',
      TELEGRAM_BOT_TOKEN: '777:pgbouncer-test',
      TELEGRAM_CHAT_ID: '-100777',
      TELEGRAM_API_URL: telegram.url,
      REPORT_CRON: 'off',
      REPORT_TZ: 'UTC',
      REDIS_URL: undefined,
      RESPONSE_CACHE: 'off',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_ANON_PER_MINUTE: '0',
    };
    instances = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([openai?.close(), telegram?.close()]);
  });

  const tokenOf = (userId: number) => sign(String(userId));

  it('answers 30 concurrent queries and mutations from two instances on 5 server connections', async () => {
    const analyst = await tokenOf(viewers.analyst);
    // Active EMPLOYEEs of the scenario (seedTeam: index 0 and every 10th a MANAGER, 1 the ADMIN, 5 an ANALYST).
    const employees = [2, 3, 4, 6, 7, 8, 9, 11, 12, 13].map((i) => team.userIds[i]!);
    const [{ n: users }] = (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users')) as [{ n: number }];
    const requests = [
      ...Array.from({ length: 20 }, (_, i) => async () => {
        const answer = await postGraphQL<{ users: { totalCount: number; edges: unknown[] } }>(
          instances[i % 2]!.url,
          USERS_PAGE,
          undefined,
          analyst,
        );
        expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
        expect(answer.body.data!.users.totalCount).toBe(users);
        expect(answer.body.data!.users.edges).toHaveLength(20);
      }),
      ...employees.map((userId, i) => async () => {
        const answer = await postGraphQL<{ submitWeeklyReport: { report: { week: string; user: { id: string } } } }>(
          instances[i % 2]!.url,
          SUBMIT,
          { i: { week: NEW_WEEK, workdays: 4, stressLevel: 1 + (i % 10), highlights: `Through the pooler ${i}` } },
          await tokenOf(userId),
        );
        expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
        expect(answer.body.data!.submitWeeklyReport.report.week).toBe(NEW_WEEK);
      }),
    ];
    await Promise.all(requests.map((send) => send()));

    const written = await db.sql.query<{ user_id: number }>('SELECT user_id FROM weekly_reports WHERE week = $1 ORDER BY user_id', [
      NEW_WEEK,
    ]);
    expect(written.map((r) => r.user_id)).toEqual([...employees].sort((a, b) => a - b));
    // The submissions kept the week's pre-aggregated figures exact (pg_advisory_xact_lock per week and user).
    const [aggregate] = await db.sql.query<{ reports: number }>(
      'SELECT coalesce(sum(reports), 0)::int AS reports FROM weekly_report_aggregates WHERE week = $1',
      [NEW_WEEK],
    );
    expect(aggregate!.reports).toBe(employees.length);
    const clients = (await bouncer.admin('SHOW CLIENTS')).filter((c) => c.database === databaseOf(db));
    expect(clients.length).toBeGreaterThan(SERVER_CONNECTIONS);
    expect(await serverConnections(bouncer, databaseOf(db))).toBeLessThanOrEqual(SERVER_CONNECTIONS);
    for (const instance of instances)
      expect(
        instance.logs().filter((l) => l.level >= 50),
        instance.output(),
      ).toEqual([]);
  });

  it('runs the weekly summary once when two instances are triggered at the same moment (the lease through the pooler)', async () => {
    openai.script([{ ...completion('One summary through PgBouncer.'), delayMs: 1_500 }]);
    const answers = await Promise.all(
      instances.map((instance) =>
        postGraphQL<{ generateWeeklyReport: { summary: { id: string; week: string } } }>(
          instance.url,
          GENERATE,
          { week: TEAM_END_WEEK },
          TEST_SERVICE_TOKEN,
        ),
      ),
    );
    for (const answer of answers) expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
    expect(new Set(answers.map((a) => a.body.data!.generateWeeklyReport.summary.id)).size).toBe(1);
    const done = await waitFor('the summary to be delivered', async () => {
      const [row] = await db.sql.query<{ status: string; delivery_status: string; attempts: number; summary: string }>(
        'SELECT status, delivery_status, attempts, summary FROM weekly_summaries WHERE week = $1',
        [TEAM_END_WEEK],
      );
      return row?.status === 'SUCCEEDED' && row.delivery_status === 'DELIVERED' ? row : undefined;
    });
    expect(done).toMatchObject({ attempts: 1, summary: 'One summary through PgBouncer.' });
    expect(openai.calls).toHaveLength(1);
    expect(telegram.calls).toHaveLength(1);
    const [lease] = await db.sql.query<{ fencing_token: string }>(
      'SELECT fencing_token::text FROM job_locks WHERE name = $1 AND key = $2',
      [SUMMARY_LOCK, TEAM_END_WEEK],
    );
    expect(lease!.fencing_token).toBe('1');
  });

  it('streams the whole CSV export (one COPY in a read-only snapshot) while queries share the pool', async () => {
    const admin = await tokenOf(team.adminId);
    const [{ n: reports, bulk }] = (await db.sql.query<{ n: number; bulk: number }>(
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE highlights LIKE 'Bulk week%'))::int AS bulk FROM weekly_reports`,
    )) as [{ n: number; bulk: number }];
    const queries = Array.from({ length: 10 }, async (_, i) => {
      const answer = await postGraphQL(instances[i % 2]!.url, USERS_PAGE, undefined, admin);
      expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
    });
    const response = await fetch(new URL(EXPORT_PATH, instances[0]!.url), { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    await Promise.all(queries);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(reports).toBeGreaterThan(9_000);
    expect(rows).toHaveLength(reports);
    expect(new Set(rows.map((r) => r.report_id)).size).toBe(reports);
    // The CSV quoting survived the pooler: the embedded quotes and commas come back as written.
    expect(rows.filter((r) => /^Bulk week, "quoted", \d+$/.test(r.highlights ?? ''))).toHaveLength(bulk);
  });

  it('listens on DATABASE_DIRECT_URL: a deactivation with plain SQL answers 401 on both instances within 1 s', async () => {
    const token = await tokenOf(viewers.analyst);
    const ask = async (instance: ServerProcess) => (await postGraphQL(instance.url, '{ me { id } }', undefined, token)).status;
    // The cache is in use (hits), so what follows tests its invalidation, not a database read.
    const hits = async (instance: ServerProcess) =>
      Number(
        /^cache_lookups_total\{cache="viewer",result="hit"\} (\d+)/m.exec(
          await (await fetch(new URL('/metrics', instance.url))).text(),
        )?.[1] ?? 0,
      );
    const before = await Promise.all(instances.map(hits));
    for (let i = 0; i < 3; i++) expect(await Promise.all(instances.map(ask))).toEqual([200, 200]);
    const after = await Promise.all(instances.map(hits));
    for (const [i, h] of after.entries()) expect(h).toBeGreaterThan(before[i]!);

    // One listening session per instance, on PostgreSQL directly: none among PgBouncer's clients.
    const [listeners] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'weekly-pulse listener' AND datname = current_database()`,
    );
    expect(listeners!.n).toBe(instances.length);
    const pooledClients = await bouncer.admin('SHOW CLIENTS');
    expect(pooledClients.filter((c) => c.application_name === 'weekly-pulse listener')).toEqual([]);

    await db.sql.query('UPDATE users SET active = false WHERE id = $1', [viewers.analyst]);
    const committed = performance.now();
    try {
      const elapsed = await Promise.all(
        instances.map(async (instance) => {
          while ((await ask(instance)) !== 401 && performance.now() - committed < 3_000) await new Promise((r) => setTimeout(r, 10));
          return performance.now() - committed;
        }),
      );
      for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    } finally {
      await db.sql.query('UPDATE users SET active = true WHERE id = $1', [viewers.analyst]);
    }
  });

  it('stops cleanly (exit 0) with its pools on PgBouncer', async () => {
    for (const instance of instances) expect(await instance.stop()).toBe(0);
    expect(bouncer.log()).not.toMatch(/unsupported startup parameter|prepared statement/i);
  });
});
