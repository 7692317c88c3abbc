// The API over a real node:http socket, as production serves it. There Yoga hands plugins @whatwg-node's
// own Request and AbortSignal, not Node's (Node 24+ refuses them in AbortSignal.any: every request failed),
// so the request timeout, a client going away and a CSV download the client abandons are proved here,
// on every Node version CI runs, and not only through `yoga.fetch`.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectErrorCode, expectNoGraphQLErrors, type GraphQLResponse } from '../kit/api.js';
import { testDatabaseMode } from '../kit/database.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const TIMEOUT_MS = 3_000;

const { api, team } = setupTestApi({
  limits: { requestTimeoutMs: TIMEOUT_MS, batching: 5 },
  // One export per user, and a stall timeout far beyond the test: only the client's leaving may free it.
  exports: { maxPerUser: 1, stallTimeoutMs: 120_000 },
  team: { users: 300, weeks: 30 },
});
let origin: string;
beforeAll(async () => {
  // 9,000 reports of ~2 KB, ~20 MB of CSV: far more than the socket buffers hold, so a download the client
  // leaves early is still reading from PostgreSQL when it goes.
  await api.db.sql.exec("UPDATE weekly_reports SET blockers = repeat('Waiting on the vendor. ', 90)");
  ({ origin } = await api.listen());
}, 180_000);

const bearer = async (userId: number) => ({ authorization: `Bearer ${await api.tokenFor(userId)}` });

async function post(body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${origin}/graphql`, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(await bearer(team.adminId)), ...init.headers },
    body: JSON.stringify(body),
  });
}

const asGraphQL = async (response: Response): Promise<GraphQLResponse> => ({
  status: response.status,
  headers: response.headers,
  ...(await response.json()),
});

// The meeting list waits on the table lock; each organizer's latest report is a second statement (a
// DataLoader on weekly_reports) that the executor only starts after the list is back.
const MEETINGS = '{ teamMeetings(first: 3) { edges { node { title organizer { latestReport { week } } } } } }';
const touchesReports = (sql: string) => /weekly_reports/.test(sql);

/** Holds team_meetings locked from another session until `release` is called. */
async function lockMeetings(): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const done = api.db.sql.transaction(async (tx) => {
    await tx.exec('LOCK TABLE team_meetings IN ACCESS EXCLUSIVE MODE');
    locked();
    await released;
  });
  await isLocked;
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

describe('GraphQL over HTTP', () => {
  it('answers a POST, a GET and a batch', async () => {
    const single = await asGraphQL(await post({ query: '{ me { id name } }' }));
    expectNoGraphQLErrors(single);
    expect(single.status).toBe(200);

    const get = await fetch(`${origin}/graphql?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { ...(await bearer(team.adminId)), 'x-graphql-yoga-csrf': '1' },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: unknown }).data).toEqual(
      single.data && { me: { id: (single.data as { me: { id: string } }).me.id } },
    );

    const batch = await post([{ query: '{ me { id } }' }, { query: '{ users(first: 1) { totalCount } }' }]);
    expect(batch.status).toBe(200);
    const results = (await batch.json()) as { data?: unknown; errors?: unknown }[];
    expect(results).toHaveLength(2);
    for (const result of results) expect(result.errors).toBeUndefined();
  });

  it('answers a request without a token with 401, and bad input with its code', async () => {
    const anonymous = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ me { id } }"}',
    });
    expect(anonymous.status).toBe(401);
    expectErrorCode(await asGraphQL(await post({ query: '{ users(first: -1) { totalCount } }' })), 'BAD_USER_INPUT');
  });
});

// Another session's lock is PostgreSQL's; PGlite has one session.
describe.runIf(testDatabaseMode() === 'postgres')('a query stopped before it is finished', () => {
  it('runs its second statement when nothing stops it (what the tests below rely on)', async () => {
    const { result, statements } = await api.recordSql(async () => asGraphQL(await post({ query: MEETINGS })));
    expectNoGraphQLErrors(result);
    expect(statements.some(touchesReports)).toBe(true);
  });

  /**
   * Runs MEETINGS while team_meetings is locked: `stop` ends the request while the list waits, then the lock
   * is released. Resolves with the statements sent after the list's own, which must not include the
   * organizers' reports.
   */
  async function statementsAfterStop(stop: (release: () => Promise<void>) => Promise<void>): Promise<string[]> {
    const lock = await lockMeetings();
    const statements: string[] = [];
    const stopRecording = api.db.onQuery((e) => statements.push(e.sql));
    try {
      await stop(lock.release);
      await lock.release();
      // The meeting list's statement finishes now; give the executor time to send anything after it.
      await expect.poll(() => statements.some((sql) => /team_meetings/.test(sql)), { timeout: 5_000 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return statements;
    } finally {
      stopRecording();
      await lock.release();
    }
  }

  it('answers 503 REQUEST_TIMEOUT at the deadline and stops at its next field', async () => {
    const statements = await statementsAfterStop(async () => {
      const started = performance.now();
      const response = await asGraphQL(await post({ query: MEETINGS }));
      const ms = performance.now() - started;
      expect(response.status).toBe(503);
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TIMEOUT']);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(TIMEOUT_MS + 3_000);
    });
    expect(statements.filter(touchesReports)).toEqual([]);
  });

  it('stops at its next field when the client goes away, before the deadline', async () => {
    const statements = await statementsAfterStop(async (release) => {
      const client = new AbortController();
      const pending = post({ query: MEETINGS }, { signal: client.signal });
      await new Promise((resolve) => setTimeout(resolve, 300));
      client.abort();
      await expect(pending).rejects.toThrow(/abort/i);
      // Released well before the deadline: only the client's leaving can stop the second statement.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await release();
    });
    expect(statements.filter(touchesReports)).toEqual([]);
    // The server answers the next request as usual.
    expectNoGraphQLErrors(await asGraphQL(await post({ query: MEETINGS })));
  });

  it('lets a mutation past the deadline run to its end', async () => {
    const title = `Late meeting ${Date.now()}`;
    const count = async () =>
      (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM team_meetings WHERE title = $1', [title]))[0]!.n;
    const lock = await lockMeetings();
    let response: GraphQLResponse;
    try {
      response = await asGraphQL(
        await post(
          {
            query: 'mutation($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id } } }',
            variables: { input: { title, startsAt: '2026-12-10T10:00:00Z', durationMinutes: 30, city: 'Berlin' } },
          },
          { headers: await bearer(team.managerIds[0]!) },
        ),
      );
    } finally {
      await lock.release();
    }
    expect(response.status).toBe(503);
    await expect.poll(count, { timeout: 10_000 }).toBe(1);
  });
});

describe('CSV export over HTTP', () => {
  const activeCopies = async () =>
    (
      await api.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (%' AND state <> 'idle'",
      )
    )[0]!.n;
  const download = async (init: RequestInit = {}) =>
    fetch(`${origin}/export/weekly-reports.csv`, { ...init, headers: await bearer(team.adminId) });

  it('arrives whole', async () => {
    const response = await download();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse((await response.text()).replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[];
    const { n } = (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM weekly_reports'))[0]!;
    expect(rows).toHaveLength(n);
  });

  it('stops reading and frees its slot when the client goes away mid-download', async () => {
    const client = new AbortController();
    const response = await download({ signal: client.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    if (api.db.mode === 'postgres') expect(await activeCopies()).toBe(1);
    // One export per user: a second one is refused while the first runs.
    expect((await download()).status).toBe(429);
    client.abort();
    await reader.read().catch(() => undefined);
    // Long before the stall timeout, the COPY is gone and the same user may export again.
    if (api.db.mode === 'postgres') await expect.poll(activeCopies, { timeout: 10_000, interval: 100 }).toBe(0);
    await expect
      .poll(
        async () => {
          const again = await download();
          await again.body?.cancel();
          return again.status;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(200);
  });
});
