// The shared aggregate cache: computed once per key under concurrency, shared across instances on Redis,
// dropped by tag, expired by TTL, and computing (not failing) when Redis is gone.
import { createInMemoryCache, type Cache } from '@envelop/response-cache';
import { describe, expect, it } from 'vitest';
import { createDataCache } from '../../src/infra/cache/data-cache.js';
import { createRedisResponseStore } from '../../src/infra/cache/redis-response-store.js';
import { resilientCache } from '../../src/infra/cache/resilient-cache.js';
import { blackHole, dropPrefix, quietLogger, redisUrl, testRedisClient, uniquePrefix } from '../kit/redis.js';

const url = redisUrl();

function counter<T>(value: T, delayMs = 30) {
  let calls = 0;
  return {
    calls: () => calls,
    compute: async () => {
      calls++;
      await new Promise((r) => setTimeout(r, delayMs));
      return value;
    },
  };
}

const stores = [
  ['in memory', () => ({ store: createInMemoryCache(), done: async () => {} })],
  [
    'on Redis',
    () => {
      const client = testRedisClient(url!);
      const prefix = uniquePrefix();
      return {
        store: createRedisResponseStore({ redis: client, prefix, maxTtlMs: 60_000 }),
        ready: new Promise((r) => client.once('ready', r)),
        done: async () => {
          client.disconnect();
          await dropPrefix(url!, prefix);
        },
        second: () => createRedisResponseStore({ redis: client, prefix, maxTtlMs: 60_000 }),
      };
    },
  ],
] as const;

describe.each(stores)('data cache %s', (name, make) => {
  const skip = name === 'on Redis' && !url;

  it.skipIf(skip)('computes once for concurrent misses, then serves the stored value until invalidated', async () => {
    const setup = make();
    await ('ready' in setup ? setup.ready : undefined);
    const cache = createDataCache(resilientCache(setup.store, { logger: quietLogger }));
    try {
      const stats = counter({ week: '2026-W47', reports: 42 });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => cache.getOrCompute('stats:2026-W47', { ttlMs: 10_000, tags: ['week:2026-W47'] }, stats.compute)),
      );
      expect(stats.calls()).toBe(1);
      expect(results.every((r) => r.reports === 42)).toBe(true);
      expect(await cache.getOrCompute('stats:2026-W47', { ttlMs: 10_000 }, stats.compute)).toEqual({ week: '2026-W47', reports: 42 });
      expect(stats.calls()).toBe(1);
      const second = (setup as { second?: () => Cache }).second;
      if (second) {
        // Another instance (its own data cache over the same Redis) sees the stored value.
        const other = createDataCache(resilientCache(second(), { logger: quietLogger }));
        expect(await other.getOrCompute('stats:2026-W47', { ttlMs: 10_000 }, stats.compute)).toEqual({ week: '2026-W47', reports: 42 });
        expect(stats.calls()).toBe(1);
      }
      await cache.invalidate(['week:2026-W47']);
      await cache.getOrCompute('stats:2026-W47', { ttlMs: 10_000 }, stats.compute);
      expect(stats.calls()).toBe(2);
    } finally {
      await setup.done();
    }
  });

  it.skipIf(skip)('expires values after their TTL', async () => {
    const setup = make();
    await ('ready' in setup ? setup.ready : undefined);
    const cache = createDataCache(resilientCache(setup.store, { logger: quietLogger }));
    try {
      const stats = counter(7, 1);
      await cache.getOrCompute('short', { ttlMs: 200 }, stats.compute);
      await cache.getOrCompute('short', { ttlMs: 200 }, stats.compute);
      expect(stats.calls()).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      await cache.getOrCompute('short', { ttlMs: 200 }, stats.compute);
      expect(stats.calls()).toBe(2);
    } finally {
      await setup.done();
    }
  });
});

it('computes when Redis hangs, within the command timeout', async () => {
  const hole = await blackHole();
  const client = testRedisClient(hole.url);
  const cache = createDataCache(
    resilientCache(createRedisResponseStore({ redis: client, prefix: 'x:', maxTtlMs: 1_000 }), { logger: quietLogger }),
  );
  try {
    const stats = counter('fresh', 1);
    const started = performance.now();
    expect(await cache.getOrCompute('k', { ttlMs: 1_000 }, stats.compute)).toBe('fresh');
    expect(performance.now() - started).toBeLessThan(1_500);
  } finally {
    client.disconnect();
    await hole.close();
  }
});
