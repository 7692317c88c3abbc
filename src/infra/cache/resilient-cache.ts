// Makes a cache store safe to depend on: a failing read is a miss, a failing write is skipped, and a
// failing invalidation is retried, for up to `settleMs` before the write answers, then in the background
// until the store answers again. While an invalidation is pending, this
// instance neither reads nor writes the store, so its own writes are never hidden by a stale entry.
// Other instances see the store fail too during an outage (misses); once it answers, the retry runs
// within `retryDelayMs`. If it never answers, entries are bounded by their TTL.
import type { Cache, CacheEntityRecord } from '@envelop/response-cache';
import type { Logger } from '../logger.js';

export interface ResilientCacheOptions {
  logger: Logger;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How long a failed invalidation is retried before the write answers (then in the background). */
  settleMs?: number;
}

export interface ResilientCache extends Cache {
  /** Invalidations waiting for the store to answer (for tests and metrics). */
  pendingInvalidations(): number;
  /** Stops the retry timer. */
  close(): void;
}

export function resilientCache(
  store: Cache,
  { logger, retryDelayMs = 100, maxRetryDelayMs = 2_000, settleMs = 500 }: ResilientCacheOptions,
): ResilientCache {
  const pending = new Map<string, CacheEntityRecord>();
  let timer: NodeJS.Timeout | undefined;
  let delay = retryDelayMs;
  let warned = false;

  const warn = (operation: string, error: unknown) => {
    if (warned) return;
    warned = true;
    logger.warn({ operation, err: { message: (error as Error)?.message } }, 'response cache store failed: serving uncached');
  };

  const scheduleRetry = () => {
    if (timer) return;
    timer = setTimeout(async () => {
      timer = undefined;
      const batch = [...pending.values()];
      try {
        await store.invalidate(batch);
        for (const entity of batch) pending.delete(key(entity));
        delay = retryDelayMs;
        warned = false;
        logger.info({ entities: batch.length }, 'response cache: delayed invalidation applied');
      } catch (error) {
        warn('invalidate', error);
        delay = Math.min(delay * 2, maxRetryDelayMs);
      }
      if (pending.size) scheduleRetry();
    }, delay);
    timer.unref();
  };

  return {
    async get(id) {
      if (pending.size) return undefined;
      try {
        const result = await store.get(id);
        warned = false;
        return result;
      } catch (error) {
        warn('get', error);
        return undefined;
      }
    },
    async set(id, data, entities, ttl) {
      if (pending.size) return;
      try {
        await store.set(id, data, entities, ttl);
      } catch (error) {
        warn('set', error);
      }
    },
    async invalidate(entities) {
      const list = [...entities];
      // Retried at once for a short while first: the write's answer waits, so that no read beginning after
      // it can meet what it dropped (a failover, a moved slot, a replica slow to acknowledge). Past that,
      // in the background.
      const giveUpAt = Date.now() + settleMs;
      for (let wait = Math.min(50, retryDelayMs); ; wait *= 2) {
        try {
          await store.invalidate(list);
          return;
        } catch (error) {
          if (Date.now() + wait > giveUpAt) {
            warn('invalidate', error);
            for (const entity of list) pending.set(key(entity), entity);
            scheduleRetry();
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    },
    pendingInvalidations: () => pending.size,
    close() {
      if (timer) clearTimeout(timer);
    },
  };
}

function key({ typename, id }: CacheEntityRecord): string {
  return id == null ? typename : `${typename}:${id}`;
}
