// A cache hit is served with the JSON it was stored as (src/infra/cache/serialized-result.ts): what Yoga
// sends for it must be exactly what serialising the hit would give, through both real stores and the
// response cache's own "hit" metadata, and anything that changed the data is serialised afresh.
import { resultWithMetadata } from '@envelop/response-cache';
import type { ExecutionResult } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryResponseStore } from '../../src/infra/cache/memory-response-store.js';
import { createRedisResponseStore } from '../../src/infra/cache/redis-response-store.js';
import { Redis } from 'ioredis';
import { dropPrefix, redisUrl, uniquePrefix } from '../kit/redis.js';

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

it('runs the Redis store in CI', () => {
  if (process.env.CI === 'true') expect(stores.map(([name]) => name)).toContain('Redis');
});
