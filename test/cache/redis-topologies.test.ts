// The shared cache on a real Redis Cluster (3 masters, a replica each, made by redis-cli --cluster create)
// and on a real master + replica behind a sentinel: two API processes share hits, invalidations, APQ
// registrations and rate limits; a master killed (its replica promoted) or a sentinel failover costs
// cache misses only, never a failed request, and never a stale read after a write.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { createRedisResponseStore, responseKeys } from '../../src/infra/cache/redis-response-store.js';
import { createRedis, type RedisClient } from '../../src/infra/redis.js';
import { TEST_JWT_SECRET } from '../kit/api.js';
import { createTestDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';
import { quietLogger, uniquePrefix } from '../kit/redis.js';
import {
  startRedisCluster,
  startRedisSentinel,
  until,
  type RedisClusterProcess,
  type RedisSentinelProcess,
} from '../kit/redis-topologies.js';
import { seedTeam, viewersOf, type Viewers } from '../kit/scenarios.js';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../kit/server-process.js';

// Two API processes need PostgreSQL (CI always runs it: the run must not be skipped there).
const run = testDatabaseMode() === 'postgres';
const sign = createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '10m' });

let db: TestDatabase;
let viewers: Viewers;
// The writer is an ADMIN: with PERSISTED_OPERATIONS=apq only analysts and admins may send GraphQL text.
let tokens: { analyst: string; writer: string };
let nextWeek = 10;

beforeAll(async () => {
  if (!run) return;
  db = await createTestDatabase();
  viewers = viewersOf(await seedTeam(db, { users: 20, weeks: 2 }));
  tokens = { analyst: await sign(String(viewers.analyst)), writer: await sign(String(viewers.admin)) };
}, 60_000);

afterAll(async () => {
  killServerProcesses();
  await db?.destroy();
});

interface Answer {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { responseCache?: { hit?: boolean } };
}

async function graphql(api: ServerProcess, token: string, body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

const MINE = '{ me { reports(first: 20) { edges { node { week } } } } }';
const COUNT = '{ weeklyReports(first: 1) { totalCount } }';
const hit = (answer: Answer) => answer.extensions?.responseCache?.hit === true;

async function myWeeks(api: ServerProcess): Promise<{ weeks: string[]; hit: boolean }> {
  const answer = await graphql(api, tokens.writer, { query: MINE });
  expect(answer.status).toBe(200);
  expect(answer.errors).toBeUndefined();
  const weeks = (answer.data as { me: { reports: { edges: { node: { week: string } }[] } } }).me.reports.edges.map((e) => e.node.week);
  return { weeks, hit: hit(answer) };
}

async function submit(api: ServerProcess): Promise<string> {
  const week = `2026-W${String(nextWeek++).padStart(2, '0')}`;
  const answer = await graphql(api, tokens.writer, {
    query: 'mutation($i: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $i) { report { week } } }',
    variables: { i: { week, workdays: 4, stressLevel: 3, highlights: 'topology test' } },
  });
  expect(answer.status).toBe(200);
  expect(answer.errors).toBeUndefined();
  return week;
}

/**
 * Sends both viewers' reads to both processes without pause until `stop()`; every answer must be a 200
 * without errors, and every read of my reports that began after `mustShow` was set must show that week.
 */
function keepReading(apis: ServerProcess[]) {
  const problems: string[] = [];
  let answers = 0;
  let running = true;
  let mustShow: string | undefined;
  const loops = apis.map(async (api, index) => {
    while (running) {
      const expected = mustShow;
      try {
        const [mine, count] = await Promise.all([
          graphql(api, tokens.writer, { query: MINE }),
          graphql(api, tokens.analyst, { query: COUNT }),
        ]);
        for (const answer of [mine, count]) {
          answers++;
          if (answer.status !== 200 || answer.errors) problems.push(`instance ${index}: ${answer.status} ${JSON.stringify(answer.errors)}`);
        }
        const weeks = (mine.data as { me?: { reports: { edges: { node: { week: string } }[] } } } | undefined)?.me?.reports.edges.map(
          (e) => e.node.week,
        );
        if (expected && weeks && !weeks.includes(expected)) problems.push(`instance ${index}: stale read without ${expected}`);
      } catch (error) {
        problems.push(`instance ${index}: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  return {
    expect: (week: string) => {
      mustShow = week;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return { problems, answers };
    },
  };
}

/** Raw keys of this deployment on one node (tests only: SCAN never runs on the request path). */
async function keysOn(port: number, pattern: string): Promise<string[]> {
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0 });
  try {
    return await client.keys(pattern);
  } finally {
    client.disconnect();
  }
}

/** Deletes keys one by one (they live in different slots of that node). */
async function deleteOn(port: number, keys: string[]): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0 });
  try {
    for (const key of keys) await client.del(key);
  } finally {
    client.disconnect();
  }
}

const cacheWarnings = (api: ServerProcess) =>
  api.logs().filter((line) => /CROSSSLOT|response cache store failed|could not register/.test(`${line.msg} ${JSON.stringify(line)}`));

function apiEnv(prefix: string, redis: Record<string, string>) {
  return {
    DATABASE_URL: db.url,
    JWT_SECRET: TEST_JWT_SECRET,
    REDIS_URL: undefined,
    ...redis,
    REDIS_KEY_PREFIX: prefix,
    // Generous: a command may wait for the cluster's map to be refreshed after a failover.
    REDIS_COMMAND_TIMEOUT_MS: '300',
    RESPONSE_CACHE: 'on',
    // Long enough that a stale entry would still be served at the end of a test.
    RESPONSE_CACHE_TTL_MS: '60000',
    PERSISTED_OPERATIONS: 'apq',
    RATE_LIMIT_PER_MINUTE: '100000',
    REPORT_CRON: 'off',
    DATABASE_POOL_SIZE: '4',
  };
}

describe.runIf(run)('on a Redis Cluster', () => {
  let cluster: RedisClusterProcess;
  let client: RedisClient;
  let a: ServerProcess;
  let b: ServerProcess;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    client = createRedis(
      { topology: { kind: 'cluster', nodes: cluster.servers.map((s) => ({ host: '127.0.0.1', port: s.port })) }, commandTimeoutMs: 1_000 },
      quietLogger,
    );
    const env = apiEnv(prefix, { REDIS_CLUSTER_NODES: cluster.nodes });
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('spreads responses over the masters, each with its tag sets in its own slot, and drops them by tag in every group', async () => {
    const store = createRedisResponseStore({ redis: client, prefix: `${prefix}unit:`, maxTtlMs: 60_000 });
    const ids = Array.from({ length: 64 }, (_, i) => `response-${i}`);
    await Promise.all(ids.map((id, i) => store.set(id, { data: { i } }, [{ typename: 'User', id: i % 2 }], 60_000)));
    for (const id of ids) expect((await store.get(id))?.data).toEqual({ i: ids.indexOf(id) });
    const masters = new Set(
      await Promise.all(ids.map(async (id) => (await cluster.masterOf(responseKeys(`${prefix}unit:`).response(id))).port)),
    );
    expect(masters.size).toBe(3);

    await store.invalidate([{ typename: 'User', id: 0 }]);
    const left = await Promise.all(ids.map(async (id) => (await store.get(id)) !== undefined));
    expect(left).toEqual(ids.map((_, i) => i % 2 === 1));
  });

  it('two instances share hits, invalidations and APQ registrations, with no command refused', async () => {
    expect((await myWeeks(a)).hit).toBe(false);
    expect((await myWeeks(b)).hit).toBe(true);
    const before = await graphql(a, tokens.analyst, { query: COUNT });
    expect(hit(await graphql(b, tokens.analyst, { query: COUNT }))).toBe(true);

    const week = await submit(b);
    const mine = await myWeeks(a);
    expect(mine.weeks).toContain(week);
    const after = await graphql(a, tokens.analyst, { query: COUNT });
    expect((after.data as { weeklyReports: { totalCount: number } }).weeklyReports.totalCount).toBe(
      (before.data as { weeklyReports: { totalCount: number } }).weeklyReports.totalCount + 1,
    );

    // Registered on one instance (APQ), run by its hash alone on the other.
    const query = '{ me { id email } }';
    const sha256Hash = (await import('node:crypto')).createHash('sha256').update(query).digest('hex');
    const apq = { persistedQuery: { version: 1, sha256Hash } };
    expect((await graphql(a, tokens.analyst, { query, extensions: apq })).errors).toBeUndefined();
    const byHash = await graphql(b, tokens.analyst, { extensions: apq });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toMatchObject({ me: { email: expect.any(String) } });

    // Rate-limit counters and the registration are on the cluster too (the limiter would count in memory
    // without a word if its Redis commands failed).
    const onMasters = async (pattern: string) => (await Promise.all(cluster.servers.map((s) => keysOn(s.port, pattern)))).flat();
    expect(await onMasters(`${prefix}rl*user:${viewers.analyst}`)).not.toEqual([]);
    expect(await onMasters(`${prefix}pq:${sha256Hash}`)).not.toEqual([]);
    expect([...cacheWarnings(a), ...cacheWarnings(b)]).toEqual([]);
  });

  it('an entry its master stored is a miss once a replica took that master over, though the replica holds it', async () => {
    const unit = `${prefix}fence:`;
    const store = createRedisResponseStore({ redis: client, prefix: unit, maxTtlMs: 60_000 });
    await store.set('before-failover', { data: { old: true } }, [{ typename: 'User', id: 1 }], 60_000);
    const key = responseKeys(unit).response('before-failover');
    const master = await cluster.masterOf(key);
    // Replicated before the crash, so the promoted replica holds the entry.
    await until('the entry to reach the replica', async () => {
      const replicas = cluster.servers.filter((s) => s.port !== master.port);
      const copies = await Promise.all(replicas.map(async (s) => (await keysOn(s.port, key)).length));
      return copies.some((n) => n > 0);
    });
    await master.kill();
    await cluster.healthy();
    const promoted = await cluster.masterOf(key);
    expect(promoted.port).not.toBe(master.port);
    expect(await keysOn(promoted.port, key)).toEqual([key]);
    expect(await readOnceAnswering(() => store.get('before-failover'))).toBeUndefined();
    // Back as a replica of the promoted node, so that every master has a replica again.
    await cluster.rejoin(master);
  }, 60_000);

  it('a master killed under load costs misses only: every request succeeds and no read after a write is stale', async () => {
    // Whichever master holds my cached reports' entry: make it the only entry, then find it.
    for (const server of cluster.servers) {
      if ((await roleOf(server.port)) === 'master') await deleteOn(server.port, await keysOn(server.port, `${prefix}rc:{*`));
    }
    await myWeeks(a);
    expect((await myWeeks(a)).hit).toBe(true);
    const entries = (
      await Promise.all(cluster.servers.map(async (s) => ({ s, keys: await keysOn(s.port, `${prefix}rc:{*}r3:*`).catch(() => []) })))
    )
      .filter(({ keys }) => keys.length > 0)
      .map(({ s }) => s);
    const victim = (await Promise.all(entries.map(async (s) => ({ s, role: await roleOf(s.port) })))).find(
      ({ role }) => role === 'master',
    )?.s;
    expect(victim).toBeDefined();

    const load = keepReading([a, b]);
    await new Promise((r) => setTimeout(r, 300));
    await victim!.kill();
    // Written while the master is down: its invalidation cannot reach the groups that master held.
    const week = await submit(b);
    load.expect(week);
    await cluster.healthy();
    // A while after the promotion: the window where a stale entry on the new master would be served.
    await new Promise((r) => setTimeout(r, 2_500));
    const { problems, answers } = await load.stop();
    expect(problems).toEqual([]);
    expect(answers).toBeGreaterThan(20);

    expect((await myWeeks(a)).weeks).toContain(week);
    expect((await myWeeks(b)).weeks).toContain(week);
    // And the cache works again on the new master.
    await until('hits again after the failover', async () => (await myWeeks(a)).hit);
  }, 90_000);
});

/** The first answer of `read` that is not an error (the client may still be following a failover). */
async function readOnceAnswering<T>(read: () => T | Promise<T>): Promise<T> {
  let answer: T | undefined;
  await until('the client to answer after the failover', async () => {
    answer = await read();
    return true;
  });
  return answer as T;
}

async function roleOf(port: number): Promise<string> {
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0 });
  try {
    return ((await client.call('ROLE')) as [string])[0];
  } finally {
    client.disconnect();
  }
}

describe.runIf(run)('behind Redis Sentinel', () => {
  let sentinel: RedisSentinelProcess;
  let client: RedisClient;
  let a: ServerProcess;
  let b: ServerProcess;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    sentinel = await startRedisSentinel();
    const [host, port] = sentinel.sentinels.split(':') as [string, string];
    client = createRedis(
      { topology: { kind: 'sentinel', sentinels: [{ host, port: Number(port) }], name: sentinel.name }, commandTimeoutMs: 1_000 },
      quietLogger,
    );
    const env = apiEnv(prefix, { REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_NAME: sentinel.name });
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    client?.disconnect();
    await sentinel?.stop();
  });

  it('two instances share hits and invalidations through the master the sentinel names', async () => {
    expect((await myWeeks(a)).hit).toBe(false);
    expect((await myWeeks(b)).hit).toBe(true);
    const week = await submit(a);
    expect((await myWeeks(b)).weeks).toContain(week);
    expect(await keysOn(await sentinel.masterPort(), `${prefix}*`)).not.toEqual([]);
  });

  it('a failover (SENTINEL FAILOVER) under load: requests keep succeeding, writes stay visible, old entries are misses', async () => {
    const store = createRedisResponseStore({ redis: client, prefix: `${prefix}fence:`, maxTtlMs: 60_000 });
    await store.set('before-failover', { data: { old: true } }, [], 60_000);
    // Replicated before the failover, so the promoted replica holds the entry.
    expect(await (client as Redis).wait(1, 5_000)).toBe(1);
    await myWeeks(a);
    expect((await myWeeks(b)).hit).toBe(true);

    const load = keepReading([a, b]);
    await new Promise((r) => setTimeout(r, 300));
    const formerMaster = await sentinel.masterPort();
    const newMaster = await sentinel.failover();
    expect(newMaster).not.toBe(formerMaster);
    const week = await submit(b);
    load.expect(week);
    await new Promise((r) => setTimeout(r, 1_500));
    const { problems, answers } = await load.stop();
    expect(problems).toEqual([]);
    expect(answers).toBeGreaterThan(20);

    expect((await myWeeks(a)).weeks).toContain(week);
    await until('hits again after the failover', async () => (await myWeeks(b)).hit);
    // The promoted replica holds the entry its former master stored: a miss, not a hit.
    expect(await keysOn(newMaster, responseKeys(`${prefix}fence:`).response('before-failover'))).toHaveLength(1);
    expect(await readOnceAnswering(() => store.get('before-failover'))).toBeUndefined();
  }, 90_000);
});
