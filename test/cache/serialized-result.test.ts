// A cache hit is served with the JSON it was stored as (src/infra/cache/serialized-result.ts): what Yoga
// sends for it must be exactly what serialising the hit would give, through both real stores and the
// response cache's own "hit" metadata, and anything that changed the data is serialised afresh.
import { resultWithMetadata } from '@envelop/response-cache';
import type { ExecutionResult } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryResponseStore } from '../../src/infra/cache/memory-response-store.js';
import { createRedisResponseStore, responseKeys } from '../../src/infra/cache/redis-response-store.js';
import { lazilyParsed } from '../../src/infra/cache/serialized-result.js';
import { Redis } from 'ioredis';
import { dropPrefix, redisUrl, replicationId, uniquePrefix } from '../kit/redis.js';

type Served = ExecutionResult & { stringify?: (result: ExecutionResult) => string };

/** What Yoga's result processor sends: `result.stringify || JSON.stringify`. */
const sent = (result: Served) => (result.stringify ?? JSON.stringify)(result);

const page: ExecutionResult = {
  data: {
    users: {
      edges: [
        { node: { id: 'VXNlcjox', name: 'Zoë "Z" O’Neil', email: 'zoe@example.com', city: 'Zürich', country: 'CH' } },
        { node: { id: 'VXNlcjoy', name: 'Ann\nLee', email: 'ann@example.com', city: null, country: 'DE' } },
      ],
      pageInfo: { hasNextPage: true, endCursor: 'WyJaIiwyXQ==' },
    },
  },
};

const url = redisUrl();
// A plain client that queues commands until it has connected.
const redis = url ? new Redis(url) : undefined;
const prefix = uniquePrefix();
afterAll(async () => {
  redis?.disconnect();
  if (url) await dropPrefix(url, prefix);
});

const stores = [
  ['memory', () => createMemoryResponseStore({ maxEntries: 10, maxBytes: 1_000_000 })],
  ...(redis ? [['Redis', () => createRedisResponseStore({ redis, prefix, maxTtlMs: 60_000 })] as const] : []),
] as const;

describe.each(stores)('a hit from the %s store', (_name, createStore) => {
  it('is sent exactly as serialising it would send it, with the hit metadata', async () => {
    const store = createStore();
    await store.set('page', structuredClone(page), [], 60_000);
    const hit = (await store.get('page')) as Served;
    expect(hit.stringify).toBeTypeOf('function');
    const withHit = resultWithMetadata(hit, { hit: true });
    const expected = JSON.stringify({ data: page.data, extensions: { responseCache: { hit: true } } });
    expect(sent(withHit)).toBe(expected);
    expect(sent(hit)).toBe(JSON.stringify(page));
  });

  it('is sent from its stored JSON when stored with the ETag headers Yoga adds (which it strips before sending)', async () => {
    const store = createStore();
    const withHeaders = { ...structuredClone(page), extensions: { http: { headers: { ETag: 'abc', 'Last-Modified': 'now' } } } };
    await store.set('etag', withHeaders, [], 60_000);
    const hit = (await store.get('etag')) as Served;
    expect(hit.stringify).toBeTypeOf('function');
    // What Yoga's result processor does to it: extensions.http removed, the rest kept.
    const { http: _http, ...extensions } = hit.extensions as Record<string, unknown>;
    const sanitized = { ...resultWithMetadata(hit, { hit: true }), extensions: { ...extensions, responseCache: { hit: true } } };
    expect(sent(sanitized)).toBe(JSON.stringify({ data: page.data, extensions: { responseCache: { hit: true } } }));
  });

  it('is serialised afresh once its data or errors changed', async () => {
    const store = createStore();
    await store.set('changed', structuredClone(page), [], 60_000);
    const hit = (await store.get('changed')) as Served;
    const replaced = { ...hit, data: { users: null } };
    expect(sent(replaced)).toBe(JSON.stringify({ data: { users: null } }));
    const withErrors = { ...hit, errors: [{ message: 'late' }] } as unknown as Served;
    expect(JSON.parse(sent(withErrors))).toEqual({ data: page.data, errors: [{ message: 'late' }] });
  });
});

describe('a Redis hit', () => {
  it.runIf(redis)(
    'is stored as the JSON of the rest, a newline, then the JSON of the data, which a hit parses only when read',
    async () => {
      const store = createRedisResponseStore({ redis: redis!, prefix, maxTtlMs: 60_000 });
      const withHeaders = { ...structuredClone(page), extensions: { http: { headers: { ETag: 'abc' } } } };
      await store.set('parts', withHeaders, [], 60_000);
      const raw = await redis!.get(responseKeys(prefix).response('parts'));
      expect(raw).toBe(
        `${await replicationId(redis!)}\n${JSON.stringify({ extensions: withHeaders.extensions })}\n${JSON.stringify(page.data)}`,
      );
      const hit = (await store.get('parts')) as Served;
      // Read like parsed data: the same keys, values, JSON and deep equality.
      expect(hit.extensions).toEqual(withHeaders.extensions);
      expect(Object.keys(hit.data!)).toEqual(['users']);
      expect('users' in hit.data!).toBe(true);
      expect(JSON.stringify(hit.data)).toBe(JSON.stringify(page.data));
      expect(hit.data).toEqual(page.data);
      expect({ ...hit.data }).toEqual(page.data);
    },
  );

  it.runIf(redis)(
    'keeps a result without data, null data and data that is not an object (as the data cache stores) as they were',
    async () => {
      const store = createRedisResponseStore({ redis: redis!, prefix, maxTtlMs: 60_000 });
      await store.set('nodata', { extensions: { x: 1 } } as ExecutionResult, [], 60_000);
      expect(await store.get('nodata')).toEqual({ extensions: { x: 1 } });
      for (const value of [7, 'text', [1, { a: 2 }], true]) {
        await store.set('scalar', { data: value } as unknown as ExecutionResult, [], 60_000);
        expect((await store.get('scalar'))?.data).toEqual(value);
      }
      await store.set('null', { data: null }, [], 60_000);
      const hit = (await store.get('null')) as Served;
      expect(hit.data).toBeNull();
      expect(sent(hit)).toBe('{"data":null}');
    },
  );

  it.runIf(redis)('treats a value in another format as a miss', async () => {
    const store = createRedisResponseStore({ redis: redis!, prefix, maxTtlMs: 60_000 });
    await redis!.set(responseKeys(prefix).response('foreign'), JSON.stringify(page));
    expect(await store.get('foreign')).toBeUndefined();
  });
});

it('lazily parsed data parses once, on the first read, and writes go to the parsed object', () => {
  const data = lazilyParsed('{"a":{"b":[1,2]},"c":"x"}');
  const first = data.a;
  expect(first).toEqual({ b: [1, 2] });
  expect(data.a).toBe(first);
  data.c = 'y';
  delete data.a;
  expect(JSON.stringify(data)).toBe('{"c":"y"}');
  expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
});

it('runs the Redis store in CI', () => {
  if (process.env.CI === 'true') expect(stores.map(([name]) => name)).toContain('Redis');
});
