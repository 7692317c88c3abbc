// Keeps a lagging replica from poisoning a cache (decision 0018). An invalidation happens on the primary's
// timeline: a write commits, then its entries are dropped. A read on a replica that had not replayed that
// write yet, finishing after the drop, would store the old answer for a whole TTL. So:
// - an invalidation first raises the shared "invalidated" position to the primary's position (which is at
//   or past the write's commit), then drops entries;
// - an answer read on a replica is stored only if the replica had replayed that position when the request
//   chose it, and taken back if the position rose past it while it was being stored (an invalidation that
//   began in between may have run before the entry existed).
// Answers read on the primary are stored as before.
import type { Cache, CacheEntityRecord } from '@envelop/response-cache';
import { currentReadScope } from '../database/read-scope.js';
import type { WritePositions } from './write-positions.js';

/** The tag of an answer read on a replica: lets the guard take back exactly that entry. */
const REPLICA_READ = 'replica-read';

export function guardReplicaReads(
  cache: Cache,
  positions: WritePositions,
  primaryPosition: () => Promise<bigint>,
  onRaiseFailed: (error: unknown) => void = () => undefined,
): Cache {
  // Not past `replayed`; false also when it cannot be told (nothing is stored then: the safe side).
  const current = async (replayed: bigint) => {
    try {
      const invalidated = await positions.lastInvalidated();
      return invalidated === null || invalidated <= replayed;
    } catch {
      return false;
    }
  };
  return {
    get: (id) => cache.get(id),
    async set(id, data, entities, ttl) {
      const read = currentReadScope()?.replica;
      if (!read) return cache.set(id, data, entities, ttl);
      if (!(await current(read.replayed))) return;
      // A type of its own per entry: a shared type would gather every such entry in one ever-growing set.
      const own: CacheEntityRecord = { typename: `${REPLICA_READ}:${id}` };
      await cache.set(id, data, [...entities, own], ttl);
      if (!(await current(read.replayed))) await cache.invalidate([own]);
    },
    async invalidate(entities) {
      // Raised before anything is dropped. If it cannot be, the drop still happens: without the shared
      // store there is no shared cache to poison either.
      await primaryPosition()
        .then((position) => positions.raiseInvalidated(position))
        .catch(onRaiseFailed);
      return cache.invalidate(entities);
    },
  };
}
