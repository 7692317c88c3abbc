// Response-cache storage on Redis. Each cached response is a string with a TTL; each entity it contains
// ("User:<id>") and each type ("WeeklyReportConnection") is a set of the responses to drop when that entity
// or type changes. Invalidation reads those sets (SMEMBERS) and deletes: never KEYS or SCAN. Tag sets
// expire too (after the longest TTL any response may have), so nothing lives forever.
import type { Cache, CacheEntityRecord } from '@envelop/response-cache';
import type { ExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import { dataJsonOf, withStoredJson } from './serialized-result.js';

export interface RedisResponseStoreOptions {
  redis: Redis;
  /** Namespace for every key, so several deployments can share a Redis. */
  prefix: string;
  /** The longest TTL any response may get; tag sets live this long after their last use. */
  maxTtlMs: number;
}

export function createRedisResponseStore({ redis, prefix, maxTtlMs }: RedisResponseStoreOptions): Cache {
  const responseKey = (id: string) => `${prefix}r:${id}`;
  const tagKey = ({ typename, id }: CacheEntityRecord) => `${prefix}t:${id == null ? typename : `${typename}:${id}`}`;
  return {
    async set(id: string, data: ExecutionResult, entities: Iterable<CacheEntityRecord>, ttl: number) {
      const multi = redis.multi().set(responseKey(id), JSON.stringify(data), 'PX', Math.min(ttl, maxTtlMs));
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
      if (!raw) return undefined;
      const result = JSON.parse(raw) as ExecutionResult;
      // Served with the text it came as (serialized-result.ts): parsed for the pipeline, never serialised again.
      const dataJson = dataJsonOf(raw, result);
      return dataJson === undefined ? result : withStoredJson(result, dataJson);
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
