// WAL positions every instance must agree on, for read replicas (decision 0018): the last write of each
// viewer (read-your-writes) and the last write whose cache invalidation has begun (so a replica's answer
// computed before it is never stored after it). On Redis when there is one; otherwise in this process,
// which is then also where its caches live. Positions only ever rise.
import type { RedisClient } from '../redis.js';
import { LRUCache } from 'lru-cache';
import { lsnFromKey, lsnKey } from '../database/wal-position.js';

export interface WritePositions {
  /** `viewer` wrote at or below `lsn`; remembered for `ttlMs`. */
  rememberWrite(viewer: string, lsn: bigint): Promise<void>;
  /** The position of `viewer`'s last remembered write; null: none lately. Throws when it cannot tell. */
  lastWrite(viewer: string): Promise<bigint | null>;
  /** An invalidation begins for a write at or below `lsn`. */
  raiseInvalidated(lsn: bigint): Promise<void>;
  /** The position of the latest invalidation begun; null: none lately. Throws when it cannot tell. */
  lastInvalidated(): Promise<bigint | null>;
}

/** SET KEYS[1] ARGV[1] PX ARGV[2] unless it already holds a greater (fixed-width hex) position. */
const RAISE = `local held = redis.call('GET', KEYS[1])
if held and held >= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

export function redisWritePositions({ redis, prefix, ttlMs }: { redis: RedisClient; prefix: string; ttlMs: number }): WritePositions {
  const writeKey = (viewer: string) => `${prefix}wal:write:${viewer}`;
  const invalidatedKey = `${prefix}wal:invalidated`;
  const raise = async (key: string, lsn: bigint) => {
    await redis.eval(RAISE, 1, key, lsnKey(lsn), String(ttlMs));
  };
  return {
    rememberWrite: (viewer, lsn) => raise(writeKey(viewer), lsn),
    lastWrite: async (viewer) => lsnFromKey(await redis.get(writeKey(viewer))),
    raiseInvalidated: (lsn) => raise(invalidatedKey, lsn),
    lastInvalidated: async () => lsnFromKey(await redis.get(invalidatedKey)),
  };
}

export function memoryWritePositions({ ttlMs, maxViewers = 100_000 }: { ttlMs: number; maxViewers?: number }): WritePositions {
  const writes = new LRUCache<string, bigint>({ max: maxViewers, ttl: ttlMs });
  let invalidated: { lsn: bigint; at: number } | undefined;
  return {
    async rememberWrite(viewer, lsn) {
      const held = writes.get(viewer);
      if (held === undefined || held < lsn) writes.set(viewer, lsn);
    },
    lastWrite: async (viewer) => writes.get(viewer) ?? null,
    async raiseInvalidated(lsn) {
      if (!invalidated || invalidated.lsn < lsn || Date.now() - invalidated.at > ttlMs) invalidated = { lsn, at: Date.now() };
    },
    lastInvalidated: async () => (invalidated && Date.now() - invalidated.at <= ttlMs ? invalidated.lsn : null),
  };
}
