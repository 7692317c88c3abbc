// Response-cache storage in this process (no REDIS_URL): the same contract as the Redis store, bounded by
// bytes as well as by entries, since one entry may be a page of 100 rows and another `{ me { id } }`.
// Least recently used entries go first; each entity and type keeps the set of responses to drop with it.
// As on Redis, an answer computed before an invalidation is not stored after it (the miss's generation,
// read-scope.ts).
import type { Cache, CacheEntityRecord } from '@envelop/response-cache';
import type { ExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import { missToken, rememberMiss } from '../database/read-scope.js';
import { dataJsonOf, withStoredJson } from './serialized-result.js';

export interface MemoryResponseStoreOptions {
  maxEntries: number;
  /** What the stored responses may take, measured as the length of their JSON (a lower bound of the heap). */
  maxBytes: number;
}

const tagOf = ({ typename, id }: CacheEntityRecord) => (id == null ? typename : `${typename}:${id}`);

export function createMemoryResponseStore({ maxEntries, maxBytes }: MemoryResponseStoreOptions): Cache {
  const responsesByTag = new Map<string, Set<string>>();
  // Raised by every invalidation: a miss remembers it, and a store that no longer finds it stores nothing.
  let generation = 0;
  const tagsByResponse = new Map<string, string[]>();
  const forget = (id: string) => {
    for (const tag of tagsByResponse.get(id) ?? []) {
      const ids = responsesByTag.get(tag);
      ids?.delete(id);
      if (ids?.size === 0) responsesByTag.delete(tag);
    }
    tagsByResponse.delete(id);
  };
  const responses = new LRUCache<string, { data: ExecutionResult; bytes: number }>({
    // `data` carries its JSON (serialized-result.ts): measured once here, never serialised again on a hit.
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (entry, id) => entry.bytes + id.length,
    // Larger than the whole budget: not stored at all.
    maxEntrySize: maxBytes,
    dispose: (_entry, id, reason) => {
      if (reason !== 'set') forget(id);
    },
  });
  return {
    set(id: string, data: ExecutionResult, entities: Iterable<CacheEntityRecord>, ttl: number) {
      const token = missToken(id);
      if (token !== undefined && token !== String(generation)) return;
      forget(id);
      const json = JSON.stringify(data);
      const dataJson = dataJsonOf(json, data);
      const stored = dataJson === undefined ? data : withStoredJson(data, dataJson);
      responses.set(id, { data: stored, bytes: json.length }, { ttl });
      if (!responses.has(id)) return;
      const tags = new Set<string>();
      for (const entity of entities) {
        tags.add(tagOf({ typename: entity.typename }));
        if (entity.id != null) tags.add(tagOf(entity));
      }
      tagsByResponse.set(id, [...tags]);
      for (const tag of tags) {
        let ids = responsesByTag.get(tag);
        if (!ids) {
          ids = new Set();
          responsesByTag.set(tag, ids);
        }
        ids.add(id);
      }
    },
    get(id: string) {
      const found = responses.get(id)?.data;
      if (found === undefined) rememberMiss(id, String(generation));
      return found;
    },
    invalidate(entities: Iterable<CacheEntityRecord>) {
      generation++;
      for (const entity of entities) {
        for (const id of [...(responsesByTag.get(tagOf(entity)) ?? [])]) responses.delete(id);
      }
    },
  };
}
