// GET /readyz reports PostgreSQL and Redis separately: Redis down is degraded (still 200, the API works
// without it), PostgreSQL down is unready (503).
import { afterAll, describe, expect, it } from 'vitest';
import { ORIGIN, startTestApi, type TestApi, type TestApiOptions } from '../kit/api.js';
import { createTestDatabase, type TestDatabase } from '../kit/database.js';
import { redisUrl, testRedisClient, uniquePrefix } from '../kit/redis.js';

const apis: TestApi[] = [];
const databases: TestDatabase[] = [];
const redisClients: ReturnType<typeof testRedisClient>[] = [];
afterAll(async () => {
  for (const api of apis) await api.close();
  for (const db of databases) await db.destroy();
  for (const client of redisClients) client.disconnect();
});

let shared: TestDatabase | undefined;

/** A server; `ownDatabase` for one whose database the test will take down. */
async function start(options: { redisAt?: string; ownDatabase?: boolean } = {}): Promise<TestApi> {
  let db = options.ownDatabase ? undefined : shared;
  if (!db) {
    db = await createTestDatabase();
    databases.push(db);
    if (!options.ownDatabase) shared = db;
  }
  let redis: TestApiOptions['rateLimit'];
  if (options.redisAt) {
    const client = testRedisClient(options.redisAt);
    redisClients.push(client);
    if (options.redisAt === redisUrl()) await new Promise((resolve) => client.once('ready', resolve));
    redis = { redis: { client, keyPrefix: uniquePrefix() } };
  }
  const api = await startTestApi({ db, rateLimit: redis });
  apis.push(api);
  return api;
}

async function readiness(api: TestApi) {
  const started = Date.now();
  const response = await api.yoga.fetch(`${ORIGIN}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, string>, ms: Date.now() - started };
}

describe('GET /readyz', () => {
  it('without Redis configured: ready, Redis disabled', async () => {
    const api = await start();
    expect(await readiness(api)).toMatchObject({ status: 200, body: { status: 'ready', postgres: 'up', redis: 'disabled' } });
  });

  it('with Redis unreachable: degraded but 200, and answers at once', async () => {
    const api = await start({ redisAt: 'redis://127.0.0.1:1' });
    const answer = await readiness(api);
    expect(answer).toMatchObject({ status: 200, body: { status: 'degraded', postgres: 'up', redis: 'down' } });
    expect(answer.ms).toBeLessThan(2_500);
  });

  it('with PostgreSQL down: unready, 503, and no error details', async () => {
    const api = await start({ redisAt: 'redis://127.0.0.1:1', ownDatabase: true });
    await api.db.close();
    const answer = await readiness(api);
    expect(answer).toMatchObject({ status: 503, body: { status: 'unready', postgres: 'down', redis: 'down' } });
    expect(Object.keys(answer.body).sort()).toEqual(['postgres', 'redis', 'status']);
  });

  it.runIf(redisUrl())('with Redis up: ready', async () => {
    const api = await start({ redisAt: redisUrl()! });
    expect(await readiness(api)).toMatchObject({ status: 200, body: { status: 'ready', postgres: 'up', redis: 'up' } });
  });
});
