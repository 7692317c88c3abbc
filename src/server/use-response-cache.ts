// The response cache: per operation, variables and viewer, on Redis when configured (shared by all
// instances) or in memory. Only signed-in users' responses are cached (the service identity and failed
// authentication never are), errors and introspection never, and everything expires.
import { createHash } from 'node:crypto';
import { useResponseCache as useYogaResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { BuildResponseCacheKeyFunction, Cache } from '@envelop/response-cache';
import { parse } from 'graphql';
import stableStringify from 'fast-json-stable-stringify';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { RedisClient } from '../infra/redis.js';
import type { Config } from '../config.js';
import { createMemoryResponseStore } from '../infra/cache/memory-response-store.js';
import { createRedisResponseStore } from '../infra/cache/redis-response-store.js';
import { resilientCache, type ResilientCache } from '../infra/cache/resilient-cache.js';
import type { Logger } from '../infra/logger.js';
import type { CacheInvalidator } from '../schema/context.js';
import { viewerOf, type Identities } from './identity.js';
import { rootFields } from './root-fields.js';

export interface ResponseCache {
  /** The Yoga plugin; disposing the server closes the cache's store. */
  plugin: Plugin;
  invalidator: CacheInvalidator;
  cache: ResilientCache;
}

const INTROSPECTION = /\b__(schema|type)\b/;
const MAX_PENDING_KEYS = 10_000;
const SUMMARY_TTL_MS = 5_000;

/** Keeps the root fields of a request until its response is stored; bounded, oldest dropped first. */
function remember(map: Map<string, string[]>, key: string, roots: string[]) {
  map.delete(key);
  map.set(key, roots);
  if (map.size > MAX_PENDING_KEYS) map.delete(map.keys().next().value!);
}

/**
 * The key @envelop/response-cache builds by default (the same text, the same SHA-256 hex), hashed with
 * node:crypto in one synchronous call instead of WebCrypto's promise: the default's digest job was 5% of
 * the CPU of a cache hit in the bench profile (issue 16).
 */
export const responseCacheKey = (params: Parameters<BuildResponseCacheKeyFunction>[0]): string =>
  createHash('sha256')
    .update(
      [params.documentString, params.operationName ?? '', stableStringify(params.variableValues ?? {}), params.sessionId ?? ''].join('|'),
    )
    .digest('hex');

/** "Query.users", "Query.weeklyReports"... of the operation's root selection (following fragments). */
export function rootFieldCoordinates(documentString: string, operationName?: string | null): string[] {
  try {
    return rootFields(parse(documentString), operationName);
  } catch {
    // Unparseable documents fail validation and are never cached.
    return [];
  }
}

/** TTL per schema coordinate: short for lists people edit, longer for aggregates (see README). */
export function cacheTtls(config: Config['responseCache']): Record<string, number> {
  return {
    'Query.me': config.ttlMs,
    'Query.users': config.ttlMs,
    'Query.weeklyReports': config.ttlMs,
    'Query.teamMeetings': config.ttlMs,
    'Query.node': config.ttlMs,
    'Query.nodes': config.ttlMs,
    'Query.dashboardStats': config.aggregateTtlMs,
    // Summaries change in the background (QUEUED -> RUNNING -> SUCCEEDED) without a mutation: keep them short.
    WeeklySummary: SUMMARY_TTL_MS,
    'Query.weeklySummary': SUMMARY_TTL_MS,
    'Query.weeklySummaries': SUMMARY_TTL_MS,
  };
}

export function createResponseCache(options: {
  config: Config['responseCache'];
  redis?: { client: RedisClient; keyPrefix: string };
  identities: Identities;
  logger: Logger;
  /** Wraps the store (read replicas: replica-guard.ts). */
  guard?: (store: Cache) => Cache;
}): ResponseCache {
  const { config, redis, identities, logger, guard = (store: Cache) => store } = options;
  const maxTtlMs = Math.max(config.ttlMs, config.aggregateTtlMs);
  const store = redis
    ? createRedisResponseStore({ redis: redis.client, prefix: `${redis.keyPrefix}rc:`, maxTtlMs })
    : createMemoryResponseStore({ maxEntries: config.maxEntries, maxBytes: config.maxBytes });
  const cache = resilientCache(guard(store), { logger });
  // Keyed by the document's text, so bounded by its bytes: a client can send many large distinct documents.
  const rootFieldsByDocument = new LRUCache<string, string[]>({
    max: MAX_PENDING_KEYS,
    maxSize: 8 * 1024 * 1024,
    sizeCalculation: (_roots, key) => key.length || 1,
  });
  const rootFieldsOf = (documentString: string, operationName?: string | null) => {
    const cacheKey = `${operationName ?? ''}\n${documentString}`;
    const known = rootFieldsByDocument.get(cacheKey);
    if (known) return known;
    const roots = rootFieldCoordinates(documentString, operationName);
    rootFieldsByDocument.set(cacheKey, roots);
    return roots;
  };
  // Lists are invalidated by the root field that produced them ("Query.weeklyReports"): entity ids alone
  // miss a list that should now contain a new item, or that held no entity at all (a bare totalCount).
  const rootFieldsByKey = new Map<string, string[]>();
  const tagging: Cache = {
    get: (id) => cache.get(id),
    invalidate: (entities) => cache.invalidate(entities),
    set(id, data, entities, ttl) {
      const roots = rootFieldsByKey.get(id) ?? [];
      rootFieldsByKey.delete(id);
      return cache.set(id, data, [...entities, ...roots.map((typename) => ({ typename }))], ttl);
    },
  };
  // The session of each request: "user:<id>:<role>:<direct reports>" (what the viewer may read follows
  // from these; the team is read with the role on every request), or null when it must not be cached.
  const sessions = new WeakMap<Request, string | null>();

  const plugin = useYogaResponseCache({
    cache: tagging,
    buildResponseCacheKey: (params) => {
      const key = responseCacheKey(params);
      remember(rootFieldsByKey, key, rootFieldsOf(params.documentString, params.operationName));
      return key;
    },
    ttl: config.ttlMs,
    ttlPerSchemaCoordinate: cacheTtls(config),
    includeExtensionMetadata: true,
    invalidateViaMutation: true,
    session: async (request) => {
      // Without a viewer the context answers 401 or 503: never cached.
      const viewer = viewerOf(await identities.of(request));
      const session =
        viewer?.kind === 'user'
          ? `user:${viewer.id}:${viewer.role}:${viewer.role === 'MANAGER' ? (viewer.directReportIds ?? []).join(',') : ''}`
          : null;
      sessions.set(request, session);
      return session ?? 'never-cached';
    },
    enabled: (request, context) => {
      if (sessions.get(request) == null) return false;
      const query = (context as { params?: { query?: unknown } } | undefined)?.params?.query;
      return !(typeof query === 'string' && INTROSPECTION.test(query));
    },
  });

  return {
    plugin: {
      onPluginInit: ({ addPlugin }) => addPlugin(plugin),
      onDispose: () => cache.close(),
    },
    cache,
    invalidator: { invalidate: async (entities) => cache.invalidate(entities) },
  };
}
