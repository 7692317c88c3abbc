// Rate limits: per signed-in user and per client address for everyone else, counting operations; 429
// with Retry-After and RATE_LIMITED; shared by every instance through Redis; degraded (per instance, in
// memory) but never down when Redis is.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectErrorCode,
  expectNoGraphQLErrors,
  startTestApi,
  type GraphQLResponse,
  type TestApi,
  type TestApiOptions,
} from '../kit/api.js';
import { dropPrefix, redisUrl, testRedisClient, uniquePrefix } from '../kit/redis.js';
import { setupTestDatabase } from '../kit/setup-test-api.js';

const QUERY = '{ me { name } }';

const { db, team } = setupTestDatabase({ team: { users: 12, weeks: 1 } });
const apis: TestApi[] = [];
const servers: HttpServer[] = [];
afterAll(async () => {
  for (const server of servers) server.close();
  for (const api of apis) await api.close();
});

async function start(options: TestApiOptions['rateLimit']): Promise<TestApi> {
  const api = await startTestApi({ db, rateLimit: options });
  apis.push(api);
  return api;
}

function expectRateLimited(response: GraphQLResponse): number {
  expect(response.status, JSON.stringify(response)).toBe(429);
  expect(expectErrorCode(response, 'RATE_LIMITED')).toMatch(/Too many requests.*Try again in \d+ s/);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  return retryAfter;
}

/** The API served over real HTTP (the client address comes from the socket). */
async function listen(api: TestApi): Promise<string> {
  const server = createHttpServer(api.yoga);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function post(url: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

describe('signed-in users', () => {
  it('each have their own budget of operations per minute; then 429 with Retry-After', async () => {
    const api = await start({ perMinute: 3 });
    const [ann, bob] = [team.userIds[2]!, team.userIds[3]!];
    api.actAs(ann);
    for (let i = 0; i < 3; i++) expectNoGraphQLErrors(await api.graphql(QUERY));
    expectRateLimited(await api.graphql(QUERY));
    // A refused request changes nothing and runs nothing: mutations included.
    const refused = await api.graphql('mutation($i: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $i) { report { week } } }', {
      i: { week: '2026-W10', workdays: 5, stressLevel: 3, highlights: 'over the limit' },
    });
    expectRateLimited(refused);
    const [row] = await db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM weekly_reports WHERE user_id = $1 AND week = '2026-W10'",
      [ann],
    );
    expect(row!.n).toBe(0);

    api.actAs(bob);
    expectNoGraphQLErrors(await api.graphql(QUERY));
  });

  it('a batched request counts each of its operations', async () => {
    const api = await startTestApi({ db, rateLimit: { perMinute: 5 }, limits: { batching: 10 } });
    apis.push(api);
    const batch = (size: number) =>
      api.request(
        Array.from({ length: size }, () => ({ query: QUERY })),
        { as: team.userIds[5]! },
      );
    const first = await batch(3);
    expect(first.status).toBe(200);
    expect(first.results).toHaveLength(3);
    // 3 + 3 > 5: the whole second batch is refused, and so is what follows in the same minute.
    const second = await batch(3);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
    api.actAs(team.userIds[5]!);
    expectRateLimited(await api.graphql(QUERY));
  });

  it("the scheduler's service token is exempt", async () => {
    const api = await start({ perMinute: 1, anonymousPerMinute: 1 });
    api.actAs('service');
    for (let i = 0; i < 5; i++) expect((await api.graphql('{ __typename }')).status).toBe(200);
  });

  it('0 means no limit', async () => {
    const api = await start({ perMinute: 0, anonymousPerMinute: 0 });
    api.actAs(team.userIds[6]!);
    for (let i = 0; i < 20; i++) expectNoGraphQLErrors(await api.graphql(QUERY));
  });
});

describe('anonymous callers (no or a refused token)', () => {
  it('are counted by the socket address, and X-Forwarded-For is ignored unless TRUST_PROXY says so', async () => {
    const url = await listen(await start({ perMinute: 100, anonymousPerMinute: 2 }));
    // A made-up X-Forwarded-For per request does not buy a fresh budget.
    expect((await post(url, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(401);
    expect((await post(url, { 'x-forwarded-for': '203.0.113.2', authorization: 'Bearer forged.token.here' })).status).toBe(401);
    expectRateLimited(await post(url, { 'x-forwarded-for': '203.0.113.3' }));
    // Signed-in users have a budget of their own, not the address's.
    const token = await apis.at(-1)!.tokenFor(team.userIds[7]!);
    expect((await post(url, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('behind a trusted proxy, are counted by the address the proxy reports', async () => {
    const url = await listen(await start({ anonymousPerMinute: 2, trustProxy: 1 }));
    // The proxy appends the address it saw; what the client wrote before it is not believed.
    const via = (client: string, spoofed = '198.51.100.99') => ({ 'x-forwarded-for': `${spoofed}, ${client}` });
    expect((await post(url, via('203.0.113.10'))).status).toBe(401);
    expect((await post(url, via('203.0.113.10', '198.51.100.1'))).status).toBe(401);
    expectRateLimited(await post(url, via('203.0.113.10', '198.51.100.2')));
    expect((await post(url, via('203.0.113.11'))).status).toBe(401);
    // IPv6 clients count per /64.
    expect((await post(url, via('2001:db8:1:2::1'))).status).toBe(401);
    expect((await post(url, via('2001:db8:1:2:ffff::2'))).status).toBe(401);
    expectRateLimited(await post(url, via('2001:db8:1:2::3')));
    expect((await post(url, via('2001:db8:1:3::1'))).status).toBe(401);
  });
});

describe('when Redis is down', () => {
  it('limits still hold, per instance in memory, and requests are not slowed', async () => {
    const dead = testRedisClient('redis://127.0.0.1:1');
    try {
      const api = await startTestApi({ db, rateLimit: { perMinute: 3, redis: { client: dead, keyPrefix: uniquePrefix() } } });
      apis.push(api);
      api.actAs(team.userIds[8]!);
      const started = Date.now();
      for (let i = 0; i < 3; i++) expectNoGraphQLErrors(await api.graphql(QUERY));
      expectRateLimited(await api.graphql(QUERY));
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      dead.disconnect();
    }
  });
});

describe.runIf(redisUrl())('on Redis', () => {
  const url = redisUrl()!;
  const prefix = uniquePrefix();
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await dropPrefix(url, prefix);
  });

  it('two instances share one budget per user', async () => {
    const [a, b] = await Promise.all(
      [0, 1].map(async () => {
        const client = testRedisClient(url, 1_000);
        clients.push(client);
        // Until it connects, each instance counts in memory (as while Redis is down).
        if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
        const api = await startTestApi({ db, rateLimit: { perMinute: 4, redis: { client, keyPrefix: prefix } } });
        apis.push(api);
        return api;
      }),
    );
    const userId = team.userIds[9]!;
    a!.actAs(userId);
    b!.actAs(userId);
    expectNoGraphQLErrors(await a!.graphql(QUERY));
    expectNoGraphQLErrors(await b!.graphql(QUERY));
    expectNoGraphQLErrors(await a!.graphql(QUERY));
    expectNoGraphQLErrors(await b!.graphql(QUERY));
    expectRateLimited(await a!.graphql(QUERY));
    expectRateLimited(await b!.graphql(QUERY));
    // The counter lives under this deployment's key prefix and expires with the window.
    const ttl = await clients[0]!.pttl(`${prefix}rl:user:${userId}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
