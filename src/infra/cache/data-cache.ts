// A shared cache of computed values (heavy aggregates), keyed by their arguments rather than by viewer:
// callers authorize first, then ask. It stores through the same resilient cache as responses (Redis for
// all instances, or memory; failures are misses; failed invalidations retried), values expire after their
// TTL and can be dropped by tag (e.g. the week a submit changed), and concurrent misses of one key in this
// process share a single computation.
import { createHash } from 'node:crypto';
import type { Cache } from '@envelop/response-cache';
import { currentReadScope } from '../database/read-scope.js';

const MAX_PLAIN_KEY = 200;

export interface DataCache {
  /** The cached value of `key`, or `compute()`'s (stored for `ttlMs` under `tags`). */
  getOrCompute<T>(key: string, options: { ttlMs?: number; tags?: string[] }, compute: () => Promise<T>): Promise<T>;
  /** Drops every value stored under any of these tags. */
  invalidate(tags: string[]): Promise<void>;
}

/** `store` must already turn failures into misses (see resilient-cache.ts). */
export function createDataCache(store: Cache, defaultTtlMs = 300_000): DataCache {
  const inFlight = new Map<string, Promise<unknown>>();
  const tagEntity = (tag: string) => ({ typename: `data:${tag}` });
  return {
    async getOrCompute<T>(
      argumentsKey: string,
      { ttlMs = defaultTtlMs, tags = [] }: { ttlMs?: number; tags?: string[] },
      compute: () => Promise<T>,
    ) {
      // Keys carry the caller's arguments: a long one is stored by its digest, so no argument sizes a key.
      const key =
        argumentsKey.length > MAX_PLAIN_KEY ? `sha256:${createHash('sha256').update(argumentsKey).digest('base64url')}` : argumentsKey;
      // Shared only by requests that read the same server at the same position (read-scope.ts): a read on
      // the primary must not take an answer computed on a replica that may not show the caller's write.
      const scope = currentReadScope();
      const flight = scope?.replica ? `${key}\u0000${scope.replica.name}@${scope.replica.replayed}` : key;
      const running = inFlight.get(flight);
      if (running !== undefined) {
        return (running as Promise<T>).catch((error: unknown) => {
          // It failed on the replica in another request's scope: this request runs again on the primary too.
          if (scope?.replica) scope.replicaFailed = true;
          throw error;
        });
      }
      const work = (async () => {
        const cached = await store.get(`data:${key}`);
        if (cached) return cached.data as T;
        const value = await compute();
        await store.set(`data:${key}`, { data: value as Record<string, unknown> }, tags.map(tagEntity), ttlMs);
        return value;
      })();
      inFlight.set(flight, work);
      try {
        return await work;
      } finally {
        inFlight.delete(flight);
      }
    },
    async invalidate(tags) {
      await store.invalidate(tags.map(tagEntity));
    },
  };
}
