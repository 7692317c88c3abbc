// CSV export limits: stalled downloads beyond the per-process and per-user caps get 429 EXPORT_BUSY while
// GraphQL keeps answering, a stalled download is cut off after the stall timeout (its COPY leaves
// pg_stat_activity and its slot is freed), and a bad filter or a database that is down gets an error
// status with a JSON body instead of a 200 and a truncated file.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/infra/database/open-database.js';
import { expectErrorCode, expectNoGraphQLErrors, ORIGIN, startTestApi } from '../kit/api.js';
import { testDatabaseMode } from '../kit/database.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const STALL_TIMEOUT_MS = 4_000;

const { api, team } = setupTestApi({
  exports: { maxConcurrent: 2, maxPerUser: 1, stallTimeoutMs: STALL_TIMEOUT_MS },
  limits: { requestTimeoutMs: 3_000 },
  // 9,000 rows, ~2 MB of CSV: far more than the socket buffers, so a stalled COPY stays open on PostgreSQL.
  team: { users: 300, weeks: 30 },
});

const exportUrl = (query = '') => `${ORIGIN}/export/weekly-reports.csv${query}`;
const download = async (userId: number, query = '') =>
  api.yoga.fetch(exportUrl(query), { headers: { authorization: `Bearer ${await api.tokenFor(userId)}` } });
const errorsOf = async (response: Response) =>
  ((await response.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors;

const activeCopies = async () =>
  (
    await api.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (%' AND state <> 'idle'",
    )
  )[0]!.n;

/** Starts a download, takes its first two chunks and then stops reading. */
async function stalledDownload(userId: number) {
  const response = await download(userId);
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await reader.read();
  await reader.read();
  return reader;
}

describe('concurrent exports', () => {
  it('refuses exports beyond the caps, keeps GraphQL answering, and cuts stalled downloads off', async () => {
    const analysts = (await api.db.sql.query<{ id: number }>("SELECT id FROM users WHERE role = 'ANALYST' AND active ORDER BY id")).map(
      (u) => u.id,
    );
    api.actAs(team.adminId);
    expectNoGraphQLErrors(await api.graphql('{ users(first: 1) { totalCount } }')); // warm, so timings below are the pool's
    const [first, second] = [await stalledDownload(team.adminId), await stalledDownload(analysts[0]!)];
    const started = performance.now();
    if (api.db.mode === 'postgres') expect(await activeCopies()).toBe(2);

    // A second export of the same user, and a third one in the process: busy, with a time to come back.
    for (const userId of [team.adminId, analysts[1]!]) {
      const busy = await download(userId);
      expect(busy.status).toBe(429);
      expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await errorsOf(busy)).map((e) => e.extensions.code)).toEqual(['EXPORT_BUSY']);
    }

    // The stalled exports hold two connections; the rest of the pool still serves GraphQL, also in parallel.
    const answers = await Promise.all(Array.from({ length: 8 }, () => api.graphql('{ users(first: 1) { totalCount } }')));
    for (const answer of answers) expectNoGraphQLErrors(answer);
    expect(performance.now() - started).toBeLessThan(STALL_TIMEOUT_MS);

    // After the stall timeout (not before), the COPYs are gone and the downloads end in an error. (Reading
    // earlier would take a queued chunk, which is the client reading again.)
    if (api.db.mode === 'postgres') {
      await expect.poll(activeCopies, { timeout: STALL_TIMEOUT_MS + 5_000, interval: 200 }).toBe(0);
      expect(performance.now() - started).toBeGreaterThanOrEqual(STALL_TIMEOUT_MS - 500);
    } else {
      await new Promise((r) => setTimeout(r, STALL_TIMEOUT_MS + 500));
    }
    await expect(first.read()).rejects.toThrow(/stalled/);
    await expect(second.read()).rejects.toThrow(/stalled/);

    // Their slots are free again: a client that reads gets the whole file, and may export again afterwards.
    const n = (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM weekly_reports'))[0]!.n;
    for (let i = 0; i < 2; i++) {
      const full = await download(analysts[1]!);
      expect(full.status).toBe(200);
      expect(parse(await full.text(), { bom: true, columns: true })).toHaveLength(n);
    }
  }, 60_000);

  it('frees the slot when the client cancels', async () => {
    const reader = await stalledDownload(team.adminId);
    expect((await download(team.adminId)).status).toBe(429);
    await reader.cancel();
    await expect
      .poll(
        async () => {
          const again = await download(team.adminId);
          await again.body?.cancel();
          return again.status;
        },
        { timeout: 5_000 },
      )
      .toBe(200);
  });
});

describe('failures before the download starts', () => {
  it('refuses control characters in the filter with 400 BAD_USER_INPUT, also when asking for a link', async () => {
    for (const city of ['a%00b', 'a%0Ab', '%7F']) {
      const response = await download(team.adminId, `?city=${city}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await errorsOf(response)).map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    }
    api.actAs(team.adminId);
    expectErrorCode(await api.graphql('query($f: ExportFilter) { exportUrl(filter: $f) }', { f: { city: 'a\u0000b' } }), 'BAD_USER_INPUT');
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the database is down', async () => {
    // A port nothing listens on (the discard port): connections are refused at once.
    const down = await openDatabase({ mode: 'postgres', url: 'postgresql://postgres@127.0.0.1:9/down', connectTimeoutMs: 1_000 });
    const expectUnavailable = async (response: Response) => {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      const errors = await errorsOf(response);
      expect(errors.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(JSON.stringify(errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/);
    };
    try {
      // Down from the start: the sign-in lookup fails, which is no reason to answer 401.
      const wholeDown = await startTestApi({ db: Object.assign(down, { url: 'down', destroy: () => down.close() }) });
      await expectUnavailable(
        await wholeDown.yoga.fetch(exportUrl(), { headers: { authorization: `Bearer ${await wholeDown.tokenFor(team.adminId)}` } }),
      );
      await wholeDown.close();

      // Down between the sign-in and the export's first batch (a failover): 503, not a 200 and an empty file.
      const failover = await startTestApi({ db: Object.assign({}, api.db, { sql: down.sql, destroy: async () => {} }) });
      await expectUnavailable(
        await failover.yoga.fetch(exportUrl(), { headers: { authorization: `Bearer ${await failover.tokenFor(team.adminId)}` } }),
      );
      // The failed start gave its slot back.
      const again = await failover.yoga.fetch(exportUrl(), {
        headers: { authorization: `Bearer ${await failover.tokenFor(team.adminId)}` },
      });
      expect(again.status).toBe(503);
      await again.body?.cancel();
      await failover.close();
    } finally {
      await down.close();
    }
  });
});

describe.runIf(testDatabaseMode() === 'postgres')('an exhausted pool (PostgreSQL)', () => {
  it('fails waiting requests with 503 after DATABASE_CONNECT_TIMEOUT_MS instead of hanging; /readyz says unready', async () => {
    const small = await openDatabase({ mode: 'postgres', url: api.db.url!, poolSize: 2, connectTimeoutMs: 1_000 });
    const limited = await startTestApi({ db: Object.assign(small, { destroy: () => small.close() }) });
    let free!: () => void;
    const held = new Promise<void>((resolve) => (free = resolve));
    try {
      limited.actAs(team.adminId);
      expectNoGraphQLErrors(await limited.graphql('{ users(first: 1) { totalCount } }'));
      const holders = [small.sql.session(() => held), small.sql.session(() => held)];
      const started = performance.now();
      const answer = await limited.graphql('{ users(first: 1) { totalCount } }');
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      // Probes coming faster than they time out share one wait for a connection.
      const probes = await Promise.all([0, 1, 2, 3].map(() => limited.yoga.fetch(`${ORIGIN}/readyz`)));
      expect(probes.map((p) => p.status)).toEqual([503, 503, 503, 503]);
      free();
      await Promise.all(holders);
      await expect.poll(async () => (await limited.yoga.fetch(`${ORIGIN}/readyz`)).status, { timeout: 5_000 }).toBe(200);
      expectNoGraphQLErrors(await limited.graphql('{ users(first: 1) { totalCount } }'));
    } finally {
      free();
      await limited.close();
      await small.close();
    }
  }, 30_000);
});
