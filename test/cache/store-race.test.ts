// A read that began before a write and finishes after the write's invalidation must not cache its
// (old) answer: each store hands a miss its invalidation generation (kept in the request's scope), and a
// store whose generation is no longer current stores nothing. In memory and on Redis.
import type { Cache } from '@envelop/response-cache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryResponseStore } from '../../src/infra/cache/memory-response-store.js';
import { createRedisResponseStore } from '../../src/infra/cache/redis-response-store.js';
import { runInReadScope } from '../../src/infra/database/read-scope.js';
import { redisConnected } from '../../src/infra/redis.js';
import { dropPrefix, redisUrl, testRedisClient, uniquePrefix } from '../kit/redis.js';

const url = redisUrl();
const redis = url ? testRedisClient(url, 1_000) : undefined;
const prefix = uniquePrefix();

beforeAll(async () => {
  if (redis) expect(await redisConnected(redis, 5_000)).toBe(true);
});

afterAll(async () => {
  redis?.disconnect();
  if (url) await dropPrefix(url, prefix);
});

const stores: [string, () => Cache][] = [
  ['in memory', () => createMemoryResponseStore({ maxEntries: 100, maxBytes: 1_000_000 })],
  ...(redis
    ? [
        ['on Redis', () => createRedisResponseStore({ redis, prefix: `${prefix}${Math.random()}:`, maxTtlMs: 60_000 })] as [
          string,
          () => Cache,
        ],
      ]
    : []),
];

describe.each(stores)('a store %s', (_name, make) => {
  const page = { data: { users: ['old'] } };
  const tag = { typename: 'User', id: 7 };

  it('does not store an answer whose miss came before an invalidation', async () => {
    const store = make();
    await runInReadScope(async () => {
      expect(await store.get('page')).toBeUndefined();
      // Another request's write drops what it changed while this one computes.
      await runInReadScope(() => store.invalidate([tag]));
      await store.set('page', page, [tag], 60_000);
    });
    expect(await runInReadScope(() => store.get('page'))).toBeUndefined();
  });

  it('stores it when no invalidation ran in between, or when the request never missed', async () => {
    const store = make();
    await runInReadScope(async () => {
      expect(await store.get('page')).toBeUndefined();
      await store.set('page', page, [tag], 60_000);
    });
    expect((await runInReadScope(() => store.get('page')))?.data).toEqual(page.data);

    await runInReadScope(() => store.invalidate([tag]));
    await runInReadScope(() => store.set('other', page, [tag], 60_000));
    expect((await runInReadScope(() => store.get('other')))?.data).toEqual(page.data);
  });
});
