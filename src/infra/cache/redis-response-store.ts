// Response-cache storage on Redis. Each cached response is a string with a TTL; each entity it contains
// ("User:<id>") and each type ("WeeklyReportConnection") is a set of the responses to drop when that entity
// or type changes. Invalidation reads those sets (SMEMBERS) and deletes: never KEYS or SCAN. Tag sets
// expire too (after the longest TTL any response may have), so nothing lives forever.
//
// A response is stored as the JSON of everything but its data, a newline, then the JSON of its data (JSON
// text never holds a raw newline): a hit parses only the small first part, and its data is sent as stored
// and parsed only if something reads it (serialized-result.ts).
import type { Cache, CacheEntityRecord } from '@envelop/response-cache';
import type { ExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import { lazilyParsed, withStoredJson } from './serialized-result.js';

export interface RedisResponseStoreOptions {
  redis: Redis;
  /** Namespace for every key, so several deployments can share a Redis. */
  prefix: string;
  /** The longest TTL any response may get; tag sets live this long after their last use. */
  maxTtlMs: number;
}

export function createRedisResponseStore({ redis, prefix, maxTtlMs }: RedisResponseStoreOptions): Cache {
  // "r2:": the two-part value (entries of the former single-JSON format, under "r:", are never read and expire).
  const responseKey = (id: string) => `${prefix}r2:${id}`;
  const tagKey = ({ typename, id }: CacheEntityRecord) => `${prefix}t:${id == null ? typename : `${typename}:${id}`}`;
  return {
    async set(id: string, data: ExecutionResult, entities: Iterable<CacheEntityRecord>, ttl: number) {
      const { data: payload, ...rest } = data;
      const value = `${JSON.stringify(rest)}\n${payload === undefined ? '' : JSON.stringify(payload)}`;
      const multi = redis.multi().set(responseKey(id), value, 'PX', Math.min(ttl, maxTtlMs));
      const tags = new Set<string>();
      for (const entity of entities) {
        tags.add(tagKey({ typename: entity.typename }));
        if (entity.id != null) tags.add(tagKey(entity));
      }
      for (const tag of tags) multi.sadd(tag, id).pexpire(tag, maxTtlMs);
      await multi.exec();
    },
    async get(id: string) {
      const raw = await redis.get(responseKey(id));
      const cut = raw ? raw.indexOf('\n') : -1;
      if (!raw || cut < 0) return undefined;
      const rest = JSON.parse(raw.slice(0, cut)) as Omit<ExecutionResult, 'data'>;
      const dataJson = raw.slice(cut + 1);
      if (!dataJson) return rest;
      // Sent as the text it came as, and parsed only if something reads it (serialized-result.ts).
      // Only an object can stand behind the Proxy (the data cache also stores numbers and lists).
      const data = dataJson.startsWith('{') ? lazilyParsed(dataJson) : (JSON.parse(dataJson) as null);
      return withStoredJson({ data, ...rest }, dataJson);
    },
    async invalidate(entities: Iterable<CacheEntityRecord>) {
      const tags = [...new Set([...entities].map(tagKey))];
      if (!tags.length) return;
      const members = (await redis.multi(tags.map((tag) => ['smembers', tag])).exec()) ?? [];
      const failed = members.find(([error]) => error);
      if (failed) throw failed[0];
      const responses = members.flatMap(([, ids]) => (Array.isArray(ids) ? ids.map((r) => responseKey(String(r))) : []));
      await redis.del(...tags, ...responses);
    },
  };
}
