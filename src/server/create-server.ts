// Builds the Yoga server from injected dependencies. It never listens by itself: main.ts serves it over
// HTTP, tests call `yoga.fetch` directly.
import type { DocumentNode } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import type { Database } from '../infra/database/open-database.js';
import type { Logger } from '../infra/logger.js';
import type { GraphQLContext } from '../schema/context.js';
import { schema } from '../schema/index.js';
import type { RedisClient } from '../infra/redis.js';
import type { CacheInvalidator } from '../schema/context.js';
import { createIdentities, type AuthDependencies, type IdentitiesOptions } from './identity.js';
import { useIdentity } from './use-identity.js';
import { createAggregateCache, type AggregateCache } from './aggregate-cache.js';
import { createResponseCache, type ResponseCache } from './use-response-cache.js';
import { createContextFactory } from './context.js';
import { createGraphiQLRenderer } from './graphiql-page.js';
import { maskError } from './mask-error.js';
import type { ExportTokens } from '../infra/auth/export-token.js';
import { useCompiledAnalytics } from './use-compiled-analytics.js';
import { useErrorCodes } from './use-error-codes.js';
import { useExportRoute } from './use-export-route.js';
import { usePersistedOperations } from './use-persisted-operations.js';
import { createPersistedDocuments, loadManifest } from '../infra/persisted-documents.js';
import { useIdempotencyKey } from './use-idempotency-key.js';
import { addressedToLoopback, useLoopbackHost } from './use-loopback-host.js';
import { createRequestIds } from './use-request-id.js';
import { httpOptions, useBodyLimit, useHttpPolicy } from './use-http-policy.js';
import { useIntrospectionPolicy } from './use-introspection-policy.js';
import { useQueryLimits } from './use-query-limits.js';
import { createMetrics, type Metrics } from '../infra/metrics.js';
import { useMetrics } from './use-metrics.js';
import { useRateLimit } from './use-rate-limit.js';
import { useReadiness } from './use-readiness.js';
import { useRequestLog } from './use-request-log.js';
import type { Cache } from '@envelop/response-cache';
import { guardReplicaReads } from '../infra/cache/replica-guard.js';
import { memoryWritePositions, redisWritePositions } from '../infra/cache/write-positions.js';
import type { ReplicaSet } from '../infra/database/replicas.js';
import { useRequestScope } from './use-request-scope.js';
import { createReadRouter, useReadRouting } from './use-read-routing.js';
import { createRequestStats } from './use-request-stats.js';

export interface ServerDependencies {
  config: Pick<
    Config,
    'production' | 'server' | 'responseCache' | 'persistedOperations' | 'rateLimit' | 'metrics' | 'limits' | 'exports' | 'analytics'
  >;
  db: Database;
  logger: Logger;
  auth: AuthDependencies;
  /** Shared Redis (production); without it caches live in this process. */
  redis?: { client: RedisClient; keyPrefix: string };
  /** Signs and checks CSV export links (absent: exports need a bearer token). */
  exportTokens?: ExportTokens;
  /** Weekly summary generation (worker built by the composition root). */
  reports: GraphQLContext['reports'];
  /**
   * Headers GraphiQL starts with (the embedded default fills in a demo analyst's token on a loopback
   * interface); while set, only requests to a loopback host name are answered (use-loopback-host.ts).
   */
  graphiqlHeaders?: Record<string, string>;
  /** Where GET /metrics reads from (main shares it with the summary worker); default: a registry of its own. */
  metrics?: Metrics;
  /** The viewer cache's poll and staleness bound (tests); default viewer-cache.ts' POLL_MS and MAX_STALE_MS. */
  viewerCache?: Pick<NonNullable<IdentitiesOptions['cache']>, 'pollMs' | 'maxStaleMs'>;
  /** Streaming replicas for reads (DATABASE_REPLICA_URLS); absent: the primary serves every read. */
  replicas?: ReplicaSet;
}

/** A server and what it owns; `dispose()` closes all of it (Yoga's onDispose hooks run). */
export interface Server {
  /** Serve it over HTTP (`createHttpServer`) or call `yoga.fetch` in process. */
  readonly yoga: YogaServerInstance<Record<string, unknown>, GraphQLContext>;
  /** The response cache, when enabled (tests look at it). */
  readonly responseCache?: ResponseCache;
  readonly aggregates: AggregateCache;
  readonly metrics: Metrics;
  /** Stops watching the database and closes the caches; call once, after the HTTP server has closed. */
  dispose(): Promise<void>;
}

/**
 * Yoga's parse caches, keyed by the document's text: bounded by bytes, not only by count, since a client
 * may send many distinct documents up to MAX_BODY_BYTES each. A parsed document costs about 4x its text.
 */
function parseCaches() {
  const byText = <T extends object>(megabytes: number, factor: number) =>
    new LRUCache<string, T>({ max: 1_024, maxSize: megabytes * 1024 * 1024, sizeCalculation: (_value, text) => text.length * factor || 1 });
  return { documentCache: byText<DocumentNode>(32, 4), errorCache: byText<object>(4, 2) };
}

/** An error's class and code, never its message (which may quote user input). */
function errorKind(error: unknown): { name: string; code?: unknown } {
  if (!(error instanceof Error)) return { name: typeof error };
  return { name: error.name, code: (error as { extensions?: { code?: unknown } }).extensions?.code };
}

const NO_CACHE: CacheInvalidator = { invalidate: async () => {} };

/** How long a viewer's last write position is kept: longer than any lag a replica may be read at. */
const WRITE_POSITION_TTL_MS = 2 * 3_600_000;

export const GRAPHQL_PATH = '/graphql';

export function createServer({
  config,
  db,
  logger,
  auth,
  redis,
  reports,
  exportTokens,
  graphiqlHeaders,
  metrics = createMetrics(),
  viewerCache,
  replicas,
}: ServerDependencies): Server {
  const identities = createIdentities({
    auth,
    db,
    cache: { ...viewerCache, onLookup: (hit) => metrics.cacheLookups.inc({ cache: 'viewer', result: hit ? 'hit' : 'miss' }) },
  });
  const requestIds = createRequestIds();
  const stats = createRequestStats({ db, identities, requestIds, replicas });
  // With replicas: where each viewer last wrote, and the caches' guard against a lagging replica's answers.
  const positions = replicas
    ? redis
      ? redisWritePositions({ redis: redis.client, prefix: redis.keyPrefix, ttlMs: WRITE_POSITION_TTL_MS })
      : memoryWritePositions({ ttlMs: WRITE_POSITION_TTL_MS })
    : undefined;
  const guard =
    replicas && positions
      ? (store: Cache) =>
          guardReplicaReads(store, positions, replicas.primaryPosition, (error) =>
            // Answers computed on a lagging replica before this write may then be cached: say so.
            logger.error({ err: error }, 'could not raise the invalidated WAL position: replica answers may be cached stale'),
          )
      : undefined;
  const router = replicas && positions ? createReadRouter({ db, replicas, positions, metrics, logger }) : undefined;
  if (replicas) metrics.watchReplicas(() => replicas.status());
  const responseCache = config.responseCache.enabled
    ? createResponseCache({ config: config.responseCache, redis, identities, logger, guard })
    : undefined;
  const aggregates = createAggregateCache({
    config: config.responseCache,
    redis,
    logger,
    guard,
    onLookup: (hit) => metrics.cacheLookups.inc({ cache: 'aggregate', result: hit ? 'hit' : 'miss' }),
  });
  const persistedDocuments = createPersistedDocuments({
    manifest: loadManifest(),
    ttlSeconds: config.persistedOperations.ttlSeconds,
    redis,
    logger,
  });

  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    ...httpOptions(config.limits, config.server.corsOrigins),
    graphiql: !config.server.graphiql
      ? false
      : graphiqlHeaders
        ? // The page carries a token: decided per request, since Yoga serves it before any plugin runs.
          (request) => addressedToLoopback(request) && { title: 'weekly-pulse', headers: JSON.stringify(graphiqlHeaders, null, 2) }
        : { title: 'weekly-pulse' },
    // Assets inlined, so it works offline; rendered once, outside this process (graphiql-page.ts).
    renderGraphiQL: createGraphiQLRenderer(),
    context: createContextFactory({
      db,
      identities,
      requestIds,
      cache: responseCache?.invalidator ?? NO_CACHE,
      aggregates: aggregates.cache,
      reports,
      analytics: config.analytics,
      exportTokens,
    }),
    maskedErrors: { maskError, isDev: false },
    parserAndValidationCache: parseCaches(),
    logging: {
      // Yoga logs at debug on every request: nothing is formatted unless that level is on.
      debug: (...args) => {
        if (logger.isLevelEnabled('debug')) logger.debug(args.map(String).join(' '));
      },
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      // Yoga calls this with every error its masking replaced, client errors included, and their text
      // can quote what the user wrote. The unexpected ones are logged in full by use-error-codes.ts (with
      // the request id); here only what kind of error it was.
      error: (...args) => logger.debug({ errors: args.map(errorKind) }, 'masked error'),
    },
    // The request pipeline, in the order its steps run: Yoga calls each hook (onRequest, onRequestParse,
    // onParams, onParse, onValidate, onExecute, onResultProcess) plugin by plugin in this order, and
    // onResponse likewise. Each entry says why it sits where it does; test/server/pipeline.test.ts pins
    // the orderings that matter.
    plugins: [
      // The request's scope (read-scope.ts): every step below, the caches' stores included, runs inside it.
      useRequestScope(),
      // Refuses a request a rebinding page sent before anything else runs (only while GraphiQL hands out a token).
      ...(graphiqlHeaders ? [useLoopbackHost()] : []),
      // Every later step (logs, errors, the context) reads the request's id; the header goes on every answer.
      requestIds.plugin,
      // Decides who is asking, once: every later step reads the outcome (identity.ts lists them).
      useIdentity(identities),
      // Codes errors of any step below (a later onResultProcess sees them coded: stats, idempotency).
      useErrorCodes({ logger, requestIds }),
      // CSRF, media type and the deadline: HTTP rules, before the body is parsed or any work is done.
      useHttpPolicy({ requestTimeoutMs: config.limits.requestTimeoutMs }),
      // The body limit, before a parser reads the body.
      useBodyLimit(config.limits.maxBodyBytes),
      // Document limits are validation rules (parsed and validated once, cached with the document).
      useQueryLimits({ limits: config.limits, production: config.production }),
      // Before the response cache, so a cached answer can never carry an introspection result to a refused viewer.
      useIntrospectionPolicy({ production: config.production, identities }),
      // Starts each request's stats before the steps that may end it early (rate limit, export, cache hit)...
      stats.plugin,
      // ...which the log line and the metrics read in onResponse.
      useRequestLog({ logger, stats }),
      useMetrics({ metrics, db, stats, token: config.metrics.token, production: config.production }),
      // Counts operations once the body is parsed (a batch counts each); refuses before anything runs.
      useRateLimit({ config: config.rateLimit, trustProxy: config.server.trustProxy, redis, identities, logger }),
      // Its own route; rate limits do not count it (it has its own slots).
      useExportRoute({ sql: db.sql, sqlFor: router?.exportSql, identities, exportTokens, logger, limits: config.exports }),
      // Turns an id into its document before idempotency hashes the operation and the cache keys it.
      usePersistedOperations({ policy: config.persistedOperations.policy, documents: persistedDocuments, identities }),
      // Claims a mutation's key before it runs; stores its result before the cache sees the mutation.
      useIdempotencyKey({ prisma: db.prisma, identities, logger }),
      // Compiles the analytics operations' execution; before the response cache, whose hits replace it.
      useCompiledAnalytics(),
      // Chooses where a query reads and remembers where a mutation wrote; after the compiled execution it wraps.
      ...(router ? [useReadRouting({ db, router, metrics })] : []),
      // Last of the GraphQL steps: it keys on the final document and serves hits instead of executing.
      ...(responseCache ? [responseCache.plugin] : []),
      // Its own route (/readyz).
      useReadiness({ db, redis: redis?.client, replicas }),
      // Closes the aggregate cache and the viewer cache's database watch when the server is disposed (the
      // response cache's plugin closes its own).
      { onDispose: () => aggregates.store.close() },
      { onDispose: () => identities.close() },
    ],
  });
  return { yoga, responseCache, aggregates, metrics, dispose: async () => yoga.dispose() };
}
