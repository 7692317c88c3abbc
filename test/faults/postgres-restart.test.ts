// PostgreSQL faults against a real API process, on a PostgreSQL server of the test's own (restarting the
// shared one would break every other test): a restart under a steady load of reads and writes (masked
// errors while it is down, recovery without restarting the API, nothing half-written, no lock left held),
// and a start while PostgreSQL is down (waits with a clear log line, becomes ready when it comes up).
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { migrate } from '../../src/infra/database/migrator.js';
import { openDatabase, type Database } from '../../src/infra/database/open-database.js';
import { rebuildWeeklyAggregates } from '../../src/services/weekly-aggregates.js';
import { TEST_JWT_SECRET } from '../kit/api.js';
import { requiredMode } from '../kit/database-names.js';
import { startPrivatePostgres, type PrivatePostgres } from '../kit/private-postgres.js';
import { seedTeam, TEAM_END_WEEK, type TeamScenario } from '../kit/scenarios.js';
import { killServerProcesses, startServerProcess, waitFor, type ServerProcess } from '../kit/server-process.js';

const HAS_SERVER_BINARIES = existsSync('/usr/lib/postgresql');
// Where PostgreSQL is required (CI), missing server binaries fail the suite instead of skipping it.
const run = HAS_SERVER_BINARIES || requiredMode() === 'postgres';

let server: PrivatePostgres;
let url: string;
let db: Database;
let team: TeamScenario;
const sign = createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '10m' });

beforeAll(async () => {
  if (!run) return;
  server = await startPrivatePostgres();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE wp');
  await admin.end();
  url = server.url.replace(/\/postgres$/, '/wp');
  db = await openDatabase({ mode: 'postgres', url, poolSize: 2 });
  await migrate(db.sql);
  team = await seedTeam(db, { users: 30, weeks: 2 });
  await db.close();
}, 120_000);

afterAll(() => {
  killServerProcesses();
  server?.destroy();
});

const env = () => ({
  DATABASE_URL: url,
  JWT_SECRET: TEST_JWT_SECRET,
  REDIS_URL: undefined,
  RESPONSE_CACHE: 'off',
  REPORT_CRON: 'off',
  RATE_LIMIT_PER_MINUTE: '0',
  // Tiny on purpose: a signed-in request whose user lookup fails (database down) must not be counted as
  // anonymous, or the outage would show as 429 instead of 503.
  RATE_LIMIT_ANON_PER_MINUTE: '3',
  DATABASE_POOL_SIZE: '4',
});

interface Outcome {
  /** When the request was sent and when its answer was complete. */
  at: number;
  end: number;
  status: number;
  codes: string[];
  text: string;
  ok: boolean;
}

async function post(api: ServerProcess, token: string, query: string, variables: Record<string, unknown> = {}): Promise<Outcome> {
  const at = Date.now();
  try {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    const codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');
    return { at, end: Date.now(), status: response.status, codes, text, ok: response.status === 200 && codes.length === 0 };
  } catch (error) {
    // fetch's own message is only "fetch failed": the socket's error is its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      at,
      end: Date.now(),
      status: 0,
      codes: ['NETWORK'],
      text: `${String(error)} (${cause?.code ?? ''} ${cause?.message ?? ''})`,
      ok: false,
    };
  }
}

const SUBMIT = `mutation($i: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $i) { report { id week stressLevel } } }`;
/** Weeks nobody in the scenario has reported yet (the seed fills only the last two). */
const FREE_WEEKS = Array.from({ length: 40 }, (_, i) => `2026-W${String(i + 1).padStart(2, '0')}`);

describe.runIf(run)('PostgreSQL restarted under load', () => {
  it('fails requests in flight with a masked error, recovers without a restart, writes nothing half', async () => {
    const api = await startServerProcess(env());
    const analystToken = await sign(String(team.adminId));
    const writers = [2, 3, 4, 6, 7, 8].map((i) => team.userIds[i]!);
    const writerTokens = await Promise.all(writers.map((id) => sign(String(id))));
    const outcomes: { read: Outcome[]; write: (Outcome & { userId: number; week: string; stress: number })[] } = { read: [], write: [] };
    let running = true;

    const reader = async () => {
      while (running) {
        outcomes.read.push(await post(api, analystToken, '{ users(first: 10) { edges { node { name latestReport { week } } } } }'));
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const writer = async (index: number) => {
      let n = 0;
      while (running && n < FREE_WEEKS.length) {
        const week = FREE_WEEKS[n++]!;
        const stress = 1 + ((index + n) % 10);
        const input = {
          week,
          workdays: 5,
          stressLevel: stress,
          highlights: `restart test ${index}/${week}`,
          hrMetrics: { interviews: 2, offers: 1, hires: 1, attritions: 0 },
          opsMetrics: { ordersProcessed: 10, tasksCompleted: 7, incidents: 1, slaBreaches: 0 },
        };
        const outcome = await post(api, writerTokens[index]!, SUBMIT, { i: input });
        outcomes.write.push({ ...outcome, userId: writers[index]!, week, stress });
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    const load = Promise.all([reader(), reader(), ...writers.map((_, i) => writer(i))]);

    await new Promise((r) => setTimeout(r, 1_500));
    const downAt = Date.now();
    server.stop();
    await new Promise((r) => setTimeout(r, 2_000));
    server.start();
    const upAt = Date.now();
    await new Promise((r) => setTimeout(r, 4_000));
    running = false;
    await load;

    const all = [...outcomes.read, ...outcomes.write];
    const failed = all.filter((o) => !o.ok);
    // The outage was felt, and only as our masked error: 503 + SERVICE_UNAVAILABLE, no detail.
    expect(failed.length).toBeGreaterThan(0);
    for (const o of failed) {
      expect(o.status, o.text).toBe(503);
      expect(new Set(o.codes), o.text).toEqual(new Set(['SERVICE_UNAVAILABLE']));
      expect(o.text).not.toMatch(/ECONNREFUSED|Connection terminated|127\.0\.0\.1|postgres|at .*\.(ts|js):\d+/i);
    }
    // Before the restart and a moment after it, everything worked: the API recovered on its own.
    expect(all.filter((o) => o.end < downAt && !o.ok).map((o) => o.text)).toEqual([]);
    const after = all.filter((o) => o.at > upAt + 2_000);
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((o) => !o.ok).map((o) => o.text)).toEqual([]);
    expect(api.child.exitCode).toBeNull();

    // Data integrity: every acknowledged submit is there, whole; a failed one is there whole or not at all.
    const check = await openDatabase({ mode: 'postgres', url, poolSize: 1 });
    try {
      const rows = await check.sql.query<{ user_id: number; week: string; stress_level: number; hr: number; ops: number }>(
        `SELECT r.user_id, r.week, r.stress_level, count(h.report_id)::int AS hr, count(o.report_id)::int AS ops
         FROM weekly_reports r LEFT JOIN hr_metrics h ON h.report_id = r.id LEFT JOIN ops_metrics o ON o.report_id = r.id
         WHERE r.user_id = ANY($1) AND r.week <> ALL($2) GROUP BY r.id`,
        [writers, [TEAM_END_WEEK]],
      );
      const stored = new Map(rows.filter((r) => FREE_WEEKS.includes(r.week)).map((r) => [`${r.user_id}/${r.week}`, r]));
      for (const w of outcomes.write) {
        const row = stored.get(`${w.userId}/${w.week}`);
        if (w.ok) expect(row, `acknowledged ${w.userId}/${w.week}`).toMatchObject({ stress_level: w.stress, hr: 1, ops: 1 });
        else if (row) expect(row).toMatchObject({ stress_level: w.stress, hr: 1, ops: 1 });
      }
      expect(outcomes.write.filter((w) => w.ok).length).toBeGreaterThan(10);
      // The pre-aggregated table still equals a rebuild from the raw rows.
      const aggregates = () =>
        check.sql.query('SELECT * FROM weekly_report_aggregates WHERE reports > 0 ORDER BY week, country, city, role');
      const maintained = await aggregates();
      await rebuildWeeklyAggregates(check.sql);
      expect(maintained).toEqual(await aggregates());
      // No advisory lock outlived the connections that held it.
      const locks = await check.sql.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
      expect(locks).toEqual([{ n: 0 }]);
    } finally {
      await check.close();
    }
    const ready = await fetch(`http://127.0.0.1:${api.port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await api.stop()).toBe(0);
  }, 120_000);

  it('starts while PostgreSQL is down: waits with a clear log line, becomes ready when it comes up', async () => {
    server.stop();
    let waiting = '';
    const starting = startServerProcess(env(), { timeoutMs: 60_000, onOutput: (chunk) => (waiting += chunk) });
    starting.catch(() => {});
    // The process is up and waiting (not exiting): it says where and why, and retries.
    await waitFor('the wait line', () => /is not reachable .*retrying in .*is not reachable/s.test(waiting), 45_000);
    expect(waiting).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+ is not reachable \(ECONNREFUSED\); retrying in \d+\.\d s/);
    server.start();
    const api = await starting;
    expect(api.output()).not.toMatch(/postgresql:\/\//);
    const token = await sign(String(team.adminId));
    const answer = await waitFor('a query to succeed', async () => (await post(api, token, '{ me { name } }')).ok || undefined);
    expect(answer).toBe(true);
    expect(await api.stop()).toBe(0);
  }, 90_000);
});
