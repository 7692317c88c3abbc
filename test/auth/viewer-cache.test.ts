// The viewer cache (src/server/viewer-cache.ts) must not loosen "a demotion or deactivation applies at
// once": a role change or deactivation written with plain SQL applies on every instance within 1 second,
// through PostgreSQL's own push (the users_viewer_version trigger's NOTIFY), through the poll when that
// push is lost, and in the embedded mode. Each test first proves the cache is in use, or it proves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { migrate } from '../../src/infra/database/migrator.js';
import { openDatabase } from '../../src/infra/database/open-database.js';
import { startTestApi, TEST_JWT_SECRET, type TestApi, userReads } from '../kit/api.js';
import { createTestDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';
import { seedTeam, viewersOf, type Viewers } from '../kit/scenarios.js';
import { killServerProcesses, postGraphQL, startServerProcess, type ServerProcess } from '../kit/server-process.js';

/** What an ANALYST and an EMPLOYEE answer differently: every report, or their own. */
const REPORT_COUNT = '{ weeklyReports { totalCount } }';
const BOUND_MS = 1_000;
const sign = createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '10m' });

interface Answer {
  status: number;
  reports: number | null;
}

/**
 * Asks until `applied` holds and returns how long that took after `since`; fails once the bound has
 * passed (the assertion the tests make is on the returned time, so the failure names the bound too).
 */
async function msUntil(ask: () => Promise<Answer>, applied: (a: Answer) => boolean, since: number): Promise<number> {
  for (;;) {
    const answer = await ask();
    const elapsed = performance.now() - since;
    if (applied(answer)) return elapsed;
    if (elapsed > 3 * BOUND_MS) return elapsed;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.runIf(testDatabaseMode() === 'postgres')('two API processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let viewers: Viewers;
  let instances: ServerProcess[];
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    viewers = viewersOf(await seedTeam(db, { users: 12, weeks: 2 }));
    token = await sign(String(viewers.analyst));
    const env = { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, REDIS_URL: undefined, SERVICE_TOKEN: undefined };
    instances = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 90_000);
  afterAll(async () => {
    killServerProcesses();
    await db?.destroy();
  });

  async function ask(instance: ServerProcess): Promise<Answer> {
    const response = await postGraphQL<{ weeklyReports: { totalCount: number } }>(instance.url, REPORT_COUNT, undefined, token);
    return { status: response.status, reports: response.body.data?.weeklyReports.totalCount ?? null };
  }

  /** The viewer cache hits an instance has served (its /metrics, open in development). */
  async function viewerHits(instance: ServerProcess): Promise<number> {
    const text = await (await fetch(new URL('/metrics', instance.url))).text();
    const line = /^cache_lookups_total\{cache="viewer",result="hit"\} (\d+)/m.exec(text);
    return Number(line?.[1] ?? 0);
  }

  /** Both instances answer as the analyst again and serve them from their caches. */
  async function warmedUp(): Promise<number> {
    const hitsBefore = await Promise.all(instances.map(viewerHits));
    let reports = 0;
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(instances.map(ask));
      for (const answer of answers) expect(answer.status).toBe(200);
      reports = answers[0]!.reports!;
      const hits = await Promise.all(instances.map(viewerHits));
      if (hits.every((h, i) => h >= hitsBefore[i]! + 2)) return reports;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the instances never served the viewer from their caches');
  }

  async function listenerSessions(): Promise<number> {
    const [row] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'weekly-pulse listener' AND datname = current_database()`,
    );
    return row!.n;
  }

  it('a deactivation with plain SQL answers 401 on both instances within 1 s (the push)', async () => {
    await warmedUp();
    expect(await listenerSessions()).toBe(2);
    await db.sql.query('UPDATE users SET active = false WHERE id = $1', [viewers.analyst]);
    const committed = performance.now();
    const elapsed = await Promise.all(
      instances.map((i) =>
        msUntil(
          () => ask(i),
          (a) => a.status === 401,
          committed,
        ),
      ),
    );
    for (const ms of elapsed) expect(ms).toBeLessThan(BOUND_MS);
    await db.sql.query('UPDATE users SET active = true WHERE id = $1', [viewers.analyst]);
  });

  it('a demotion applies on both instances within 1 s when the push is lost (listening sessions killed as it commits)', async () => {
    const everyReport = await warmedUp();
    // One statement: the sessions that would receive the NOTIFY are gone before the write commits, so the
    // instances learn of it only from their poll (which reconnects and compares versions).
    const [{ killed }] = (await db.sql.query<{ killed: number }>(
      `WITH killed AS (
         SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity
         WHERE application_name = 'weekly-pulse listener' AND datname = current_database()
       )
       UPDATE users SET role = 'EMPLOYEE' FROM killed WHERE id = $1 RETURNING killed.killed`,
      [viewers.analyst],
    )) as [{ killed: number }];
    const committed = performance.now();
    expect(killed).toBe(2);
    try {
      const elapsed = await Promise.all(
        instances.map((i) =>
          msUntil(
            () => ask(i),
            (a) => a.status === 200 && a.reports! < everyReport,
            committed,
          ),
        ),
      );
      for (const ms of elapsed) expect(ms).toBeLessThan(BOUND_MS);
      // They listen again.
      await expect.poll(listenerSessions, { timeout: 2_000, interval: 50 }).toBe(2);
    } finally {
      await db.sql.query(`UPDATE users SET role = 'ANALYST' WHERE id = $1`, [viewers.analyst]);
    }
  });
});

describe('the embedded database (PGlite in process)', () => {
  let api: TestApi;
  let viewers: Viewers;

  beforeAll(async () => {
    // Always embedded, whatever TEST_DATABASE says: this is the mode a newcomer runs.
    const embedded = await openDatabase({ mode: 'embedded', dir: 'memory://' });
    await migrate(embedded.sql);
    const db: TestDatabase = Object.assign(embedded, { destroy: () => embedded.close() });
    viewers = viewersOf(await seedTeam(db, { users: 12, weeks: 2 }));
    api = await startTestApi({ db });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await api?.db.destroy();
  });

  it('serves the viewer from the cache, and a demotion or deactivation with plain SQL applies within 1 s', async () => {
    const token = await sign(String(viewers.analyst));
    const ask = async (): Promise<Answer> => {
      const response = await api.graphql<{ weeklyReports: { totalCount: number } }>(REPORT_COUNT, undefined, {
        authorization: `Bearer ${token}`,
      });
      return { status: response.status, reports: response.data?.weeklyReports.totalCount ?? null };
    };
    const everyReport = (await ask()).reports!;
    // Once the watch has confirmed the version, the lookup is served from the cache.
    await expect.poll(() => userReads(api.db, ask), { timeout: 2_000, interval: 20 }).toBe(0);

    await api.db.sql.query(`UPDATE users SET role = 'EMPLOYEE' WHERE id = $1`, [viewers.analyst]);
    let committed = performance.now();
    expect(await msUntil(ask, (a) => a.reports! < everyReport, committed)).toBeLessThan(BOUND_MS);

    await api.db.sql.query('UPDATE users SET active = false WHERE id = $1', [viewers.analyst]);
    committed = performance.now();
    expect(await msUntil(ask, (a) => a.status === 401, committed)).toBeLessThan(BOUND_MS);
  });
});
