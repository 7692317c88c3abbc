// Response-cache storage on Redis: one node, a Redis Cluster or a Sentinel-watched master, with the same
// commands. Each cached response is a string with a TTL; each entity it contains ("User:<id>") and each
// type ("WeeklyReportConnection") is a set of the responses to drop when that entity or type changes.
// Invalidation reads those sets and deletes: never KEYS or SCAN. Tag sets expire too (after the longest
// TTL any response may have), so nothing lives forever.
//
// Cluster-safe by design (decision 0021):
// - Responses are spread over GROUPS groups by their id. A response and its memberships in tag sets live in
//   its group's hash slot (`{<prefix><group>}` in every key), so storing one is a single script on one
//   slot, and an invalidation is one script per group: no command ever touches two slots (no CROSSSLOT),
//   and each step is atomic where it runs.
// - An answer computed before an invalidation is not stored after it: a miss hands out its group's
//   invalidation generation (kept in the request's scope), every invalidation raises it, and a store
//   whose generation is no longer current stores nothing. Without it, a read that began before a write
//   and finished after the write's invalidation would cache the old answer for a whole TTL.
// - A response is stored with the replication id of the master that stored it, and a hit counts only on
//   that same master. Redis replicates asynchronously: a master that fails can take acknowledged
//   invalidations with it, and its promoted replica would serve what they had dropped. A promoted replica
//   (Cluster or Sentinel failover) has a new replication id, and a slot migrated to another master meets
//   that master's id: what it inherited is a miss, never a stale read.
//
// A response is stored as the JSON of everything but its data, a newline, then the JSON of its data (JSON
// text never holds a raw newline): a hit parses only the small first part, and its data is sent as stored
// and parsed only if something reads it (serialized-result.ts).
import type { Cache, CacheEntityRecord } from '@envelop/response-cache';
import type { ExecutionResult } from 'graphql';
import type { Result } from 'ioredis';
import { missToken, rememberMiss } from '../database/read-scope.js';
import type { RedisClient } from '../redis.js';
import { lazilyParsed, withStoredJson } from './serialized-result.js';

/** Groups of responses, each in one hash slot: enough to spread over a cluster's masters. */
export const RESPONSE_GROUPS = 16;

// The master's replication id: changes when a replica is promoted (and when a master restarts empty).
const EPOCH = `local epoch = string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)')`;
// The group's invalidation generation, on this master: what a miss hands out and a store must still find.
const TOKEN = `local token = epoch .. ':' .. (redis.call('GET', KEYS[2]) or '0')`;

// KEYS[1]: the response; KEYS[2]: its group's generation. {1, value without the epoch} on a hit, or
// {0, token} on a miss (no entry, or one stored under another master).
const READ = `local value = redis.call('GET', KEYS[1])
${EPOCH}
if value then
  local cut = string.find(value, '\\n', 1, true)
  if cut and string.sub(value, 1, cut - 1) == epoch then return {1, string.sub(value, cut + 1)} end
end
${TOKEN}
return {0, token}`;

// KEYS[1]: the response; KEYS[2]: its group's generation; KEYS[3..]: its tag sets (same slot).
// ARGV: value, its TTL, the tag sets' TTL, the token of the miss ('' if none). Stores nothing (0) if an
// invalidation ran in the group (or the master changed) since that miss: the answer may predate it.
const STORE = `${EPOCH}
${TOKEN}
if ARGV[4] ~= '' and ARGV[4] ~= token then return 0 end
redis.call('SET', KEYS[1], epoch .. '\\n' .. ARGV[1], 'PX', ARGV[2])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
end
return 1`;

// KEYS[1]: the group's generation; KEYS[2..]: tag sets of that group. ARGV[1]: the generation's TTL.
// Raises the generation first (answers computed before this drop are no longer stored), then deletes the
// sets' responses (keys of the same slot) and the sets. Returns how many replicas the master has.
const DROP = `redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local dropped = 0
for i = 2, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    dropped = dropped + redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', KEYS[i])
end
return tonumber(string.match(redis.call('INFO', 'replication'), 'connected_slaves:(%d+)')) or 0`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    wpResponseStore(...keysAndArgs: (string | number)[]): Result<number, Context>;
    wpResponseRead(response: string, generation: string): Result<[0 | 1, string], Context>;
    wpResponseDrop(...keysAndArgs: (string | number)[]): Result<number, Context>;
  }
}

/** Registers the scripts once per client (ioredis runs them by EVALSHA, loading them where missing). */
function withScripts(redis: RedisClient): RedisClient {
  if (typeof redis.wpResponseStore !== 'function') {
    redis.defineCommand('wpResponseStore', { lua: STORE });
    redis.defineCommand('wpResponseRead', { lua: READ, numberOfKeys: 2 });
    redis.defineCommand('wpResponseDrop', { lua: DROP });
  }
  return redis;
}

export interface RedisResponseStoreOptions {
  redis: RedisClient;
  /** How long an invalidation waits for a replica of its master to acknowledge it (masters with replicas). */
  replicaAckMs?: number;
  /** Namespace for every key, so several deployments can share a Redis. */
  prefix: string;
  /** The longest TTL any response may get; tag sets live this long after their last use. */
  maxTtlMs: number;
}

/** Where a response and a tag set live (tests look at the raw keys). */
export function responseKeys(prefix: string) {
  const slot = (group: number) => `${prefix}{${prefix}${group}}`;
  const groupOf = (id: string) => {
    // FNV-1a: cheap, and spreads SHA-256 hex and argument keys alike.
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % RESPONSE_GROUPS;
  };
  return {
    groupOf,
    response: (id: string) => `${slot(groupOf(id))}r3:${id}`,
    generation: (group: number) => `${slot(group)}gen`,
    tag: (group: number, { typename, id }: CacheEntityRecord) => `${slot(group)}t:${id == null ? typename : `${typename}:${id}`}`,
  };
}

export function createRedisResponseStore({ redis: client, prefix, maxTtlMs, replicaAckMs = 50 }: RedisResponseStoreOptions): Cache {
  const redis = withScripts(client);
  const keys = responseKeys(prefix);
  const groups = Array.from({ length: RESPONSE_GROUPS }, (_, group) => group);
  // A drop the master acknowledged but no replica received is lost if that master fails now: its promoted
  // replica would still serve what it dropped. So a drop counts once a replica has it (WAIT, on the same
  // connection: the pipeline is routed by the group's key); otherwise it fails, and is retried.
  const replicated = async (group: number) => {
    const answers = (await redis.pipeline().exists(keys.generation(group)).wait(1, replicaAckMs).exec()) ?? [];
    if (Number(answers[1]?.[1] ?? 0) < 1)
      throw new Error(`invalidation of group ${group} not acknowledged by a replica within ${replicaAckMs} ms`);
  };
  return {
    async set(id: string, data: ExecutionResult, entities: Iterable<CacheEntityRecord>, ttl: number) {
      const { data: payload, ...rest } = data;
      const value = `${JSON.stringify(rest)}\n${payload === undefined ? '' : JSON.stringify(payload)}`;
      const group = keys.groupOf(id);
      const tags = new Set<string>();
      for (const entity of entities) {
        tags.add(keys.tag(group, { typename: entity.typename }));
        if (entity.id != null) tags.add(keys.tag(group, entity));
      }
      const token = missToken(id) ?? '';
      await redis.wpResponseStore(
        2 + tags.size,
        keys.response(id),
        keys.generation(group),
        ...tags,
        value,
        Math.min(ttl, maxTtlMs),
        maxTtlMs,
        token,
      );
    },
    async get(id: string) {
      const [found, raw] = await redis.wpResponseRead(keys.response(id), keys.generation(keys.groupOf(id)));
      if (!found) {
        rememberMiss(id, raw);
        return undefined;
      }
      const cut = raw.indexOf('\n');
      if (cut < 0) return undefined;
      const rest = JSON.parse(raw.slice(0, cut)) as Omit<ExecutionResult, 'data'>;
      const dataJson = raw.slice(cut + 1);
      if (!dataJson) return rest;
      // Sent as the text it came as, and parsed only if something reads it (serialized-result.ts).
      // Only an object can stand behind the Proxy (the data cache also stores numbers and lists).
      const data = dataJson.startsWith('{') ? lazilyParsed(dataJson) : (JSON.parse(dataJson) as null);
      return withStoredJson({ data, ...rest }, dataJson);
    },
    async invalidate(entities: Iterable<CacheEntityRecord>) {
      const list = [...entities];
      if (!list.length) return;
      // Every group may hold responses of these entities: one script per group, all sent at once (a failure
      // in any throws, and the resilient cache retries the whole invalidation: dropping is idempotent).
      await Promise.all(
        groups.map(async (group) => {
          const tags = [...new Set(list.map((entity) => keys.tag(group, entity)))];
          const replicas = await redis.wpResponseDrop(1 + tags.length, keys.generation(group), ...tags, maxTtlMs);
          if (replicas > 0) await replicated(group);
        }),
      );
    },
  };
}
