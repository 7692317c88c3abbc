// The shared aggregate cache the analytics queries use (keyed by arguments, not by viewer), built on the
// same resilient store as the response cache, under its own key prefix.
import type { Cache } from '@envelop/response-cache';
import type { RedisClient } from '../infra/redis.js';
import type { Config } from '../config.js';
import { createDataCache, type DataCache } from '../infra/cache/data-cache.js';
import { createMemoryResponseStore } from '../infra/cache/memory-response-store.js';
import { createRedisResponseStore } from '../infra/cache/redis-response-store.js';
import { resilientCache, type ResilientCache } from '../infra/cache/resilient-cache.js';
import type { Logger } from '../infra/logger.js';

export interface AggregateCache {
  cache: DataCache;
  store: ResilientCache;
}

/** The shared aggregate cache (always on: it is keyed by arguments, not by viewer). */
export function createAggregateCache(options: {
  config: Config['responseCache'];
  redis?: { client: RedisClient; keyPrefix: string };
  logger: Logger;
  /** Told of every lookup in the store (metrics). */
  onLookup?: (hit: boolean) => void;
  /** Wraps the store (read replicas: replica-guard.ts). */
  guard?: (store: Cache) => Cache;
}): AggregateCache {
  const { config, redis, logger, onLookup, guard = (store: Cache) => store } = options;
  const store = resilientCache(
    guard(
      redis
        ? createRedisResponseStore({ redis: redis.client, prefix: `${redis.keyPrefix}dc:`, maxTtlMs: config.aggregateTtlMs })
        : createMemoryResponseStore({ maxEntries: config.maxEntries, maxBytes: config.maxBytes }),
    ),
    { logger },
  );
  const counted: Cache = onLookup
    ? {
        get: async (id) => {
          const found = await store.get(id);
          onLookup(found != null);
          return found;
        },
        set: (...args) => store.set(...args),
        invalidate: (entities) => store.invalidate(entities),
      }
    : store;
  return { cache: createDataCache(counted, config.aggregateTtlMs), store };
}
