// Redis failure is a cache miss, not an outage: a hung, stopped or paused Redis costs a request at most a
// short timeout, writes made meanwhile are never hidden afterwards, and the cache resumes by itself.
// Also: two API instances sharing one Redis see each other's entries and invalidations.
import type { Redis } from 'ioredis';
import { Redis as AdminRedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWeeks, isoWeekOf } from '../../src/domain/iso-week.js';
import { expectNoGraphQLErrors, startTestApi, type TestApi } from '../kit/api.js';
import { blackHole, privateRedisServer, redisUrl, testRedisClient, uniquePrefix } from '../kit/redis.js';
import { globalId } from '../kit/global-id.js';
import { setupTestDatabase } from '../kit/setup-test-api.js';

const url = redisUrl();
const hit = (response: { extensions?: Record<string, unknown> }) =>
  (response.extensions?.responseCache as { hit?: boolean } | undefined)?.hit;
const ready = (client: Redis) => (client.status === 'ready' ? Promise.resolve() : new Promise((r) => client.once('ready', r)));
const SUBMIT = 'mutation($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { id } } }';
/** Far above a healthy request, far below ioredis' default 20 retries with an offline queue. */
const BOUND_MS = 1_500;

const { db, team } = setupTestDatabase({ team: { users: 20, weeks: 2 } });
let weekOffset = -60;
const nextWeek = () => addWeeks(isoWeekOf(new Date()), weekOffset--);

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** The manager's view of an employee's reports: a cached read that a submit must invalidate. */
function managerView(api: TestApi) {
  const employee = team.userIds[4]!;
  return async () => {
    api.actAs(team.managerIds[0]!);
    const response = await api.graphql<{ node: { reports: { totalCount: number } } }>(
      `{ node(id: "${globalId('User', employee)}") { ... on User { reports(first: 100) { totalCount } } } }`,
    );
    expectNoGraphQLErrors(response);
    return { count: response.data.node.reports.totalCount, hit: hit(response) };
  };
}

async function submitAsEmployee(api: TestApi, week: string) {
  api.actAs(team.userIds[4]!);
  const response = await api.graphql(SUBMIT, { input: { week, workdays: 5, stressLevel: 2, highlights: 'during a Redis outage' } });
  expectNoGraphQLErrors(response);
}

describe('a Redis that accepts connections and never answers', () => {
  it('serves reads and writes uncached within the bound', async () => {
    const hole = await blackHole();
    const client = testRedisClient(hole.url);
    const api = await startTestApi({ db, responseCache: { redis: { client, keyPrefix: uniquePrefix() } } });
    try {
      const view = managerView(api);
      for (let i = 0; i < 3; i++) {
        const { value, ms } = await timed(view);
        expect(value.hit).not.toBe(true);
        expect(ms).toBeLessThan(BOUND_MS);
      }
      const before = (await view()).count;
      const { ms } = await timed(() => submitAsEmployee(api, nextWeek()));
      expect(ms).toBeLessThan(BOUND_MS);
      expect((await view()).count).toBe(before + 1);
    } finally {
      await api.close();
      client.disconnect();
      await hole.close();
    }
  });
});

describe.skipIf(!url)('a Redis that stops, pauses and comes back', () => {
  let server: Awaited<ReturnType<typeof privateRedisServer>>;
  let client: Redis;
  let api: TestApi;
  beforeAll(async () => {
    server = await privateRedisServer();
    client = testRedisClient(server.url);
    await ready(client);
    api = await startTestApi({ db, responseCache: { redis: { client, keyPrefix: uniquePrefix() } } });
  });
  afterAll(async () => {
    await api?.close();
    client?.disconnect();
    await server?.stop();
  });

  it('keeps answering while Redis is down, and resumes hits when it returns', async () => {
    const view = managerView(api);
    await view();
    expect((await view()).hit).toBe(true);

    await server.stop();
    const before = (await view()).count;
    for (let i = 0; i < 3; i++) {
      const { value, ms } = await timed(view);
      expect(value.hit).not.toBe(true);
      expect(ms).toBeLessThan(BOUND_MS);
    }
    const { ms } = await timed(() => submitAsEmployee(api, nextWeek()));
    expect(ms).toBeLessThan(BOUND_MS);
    expect((await view()).count).toBe(before + 1);

    await server.start();
    await ready(client);
    // The entry cached before the outage must not come back: the write happened meanwhile.
    for (let i = 0; i < 50 && api.server.responseCache!.cache.pendingInvalidations() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    const after = await view();
    expect(after.count).toBe(before + 1);
    expect((await view()).hit).toBe(true);
  });

  it('shows a write made while Redis was paused once the pause ends', async () => {
    const view = managerView(api);
    await view();
    const cached = await view();
    expect(cached.hit).toBe(true);

    const admin = new AdminRedis(server.url);
    await admin.client('PAUSE', 800, 'ALL');
    const { ms } = await timed(() => submitAsEmployee(api, nextWeek()));
    expect(ms).toBeLessThan(BOUND_MS);
    await new Promise((r) => setTimeout(r, 900));
    const after = await view();
    expect(after.count).toBe(cached.count + 1);
    admin.disconnect();
  });
});

describe.skipIf(!url)('two API instances sharing Redis', () => {
  it('share hits and invalidations', async () => {
    const prefix = uniquePrefix();
    const [clientA, clientB] = [testRedisClient(url!), testRedisClient(url!)];
    await Promise.all([ready(clientA), ready(clientB)]);
    const a = await startTestApi({ db, responseCache: { redis: { client: clientA, keyPrefix: prefix } } });
    const b = await startTestApi({ db, responseCache: { redis: { client: clientB, keyPrefix: prefix } } });
    try {
      const onA = managerView(a);
      const onB = managerView(b);
      const first = await onA();
      expect(first.hit).toBe(false);
      expect(await onB()).toEqual({ count: first.count, hit: true });
      await submitAsEmployee(b, nextWeek());
      expect(await onA()).toEqual({ count: first.count + 1, hit: false });
    } finally {
      await a.close();
      await b.close();
      clientA.disconnect();
      clientB.disconnect();
    }
  });
});
