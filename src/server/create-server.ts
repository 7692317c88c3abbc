// Builds the Yoga server from injected dependencies. It never listens by itself: main.ts serves it over
// HTTP, tests call `yoga.fetch` directly.
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../infra/database/open-database.js';
import type { Logger } from '../infra/logger.js';
import type { GraphQLContext } from '../schema/context.js';
import { schema } from '../schema/index.js';
import type { Redis } from 'ioredis';
import type { CacheInvalidator } from '../schema/context.js';
import { createAuthenticator, type AuthDependencies } from './authenticate.js';
import { createAggregateCache, type AggregateCache } from './aggregate-cache.js';
import { createResponseCache, type ResponseCache } from './use-response-cache.js';
import { createContextFactory } from './context.js';
import { createGraphiQLRenderer } from './graphiql-page.js';
import { maskError } from './mask-error.js';
import type { ExportTokens } from '../infra/auth/export-token.js';
import { useErrorCodes } from './use-error-codes.js';
import { useExportRoute } from './use-export-route.js';
import { usePersistedOperations } from './use-persisted-operations.js';
import { createPersistedDocuments, loadManifest } from '../infra/persisted-documents.js';
import { useIdempotencyKey } from './use-idempotency-key.js';
import { useRequestId } from './use-request-id.js';
import { httpOptions, useHttpPolicy } from './use-http-policy.js';
import { useIntrospectionPolicy } from './use-introspection-policy.js';
import { useQueryLimits } from './use-query-limits.js';
import { createMetrics, type Metrics } from '../infra/metrics.js';
import { useMetrics } from './use-metrics.js';
import { useRateLimit } from './use-rate-limit.js';
import { useReadiness } from './use-readiness.js';
import { useRequestLog } from './use-request-log.js';
import { useRequestStats } from './use-request-stats.js';

export interface ServerDependencies {
  config: Pick<Config, 'production' | 'server' | 'responseCache' | 'persistedOperations' | 'rateLimit' | 'metrics' | 'limits' | 'exports'>;
  db: Database;
  logger: Logger;
  auth: AuthDependencies;
  /** Shared Redis (production); without it caches live in this process. */
  redis?: { client: Redis; keyPrefix: string };
  /** Signs and checks CSV export links (absent: exports need a bearer token). */
  exportTokens?: ExportTokens;
  /** Weekly summary generation (worker built by the composition root). */
  reports: GraphQLContext['reports'];
  /** Headers GraphiQL starts with (the embedded default fills in a demo analyst's token). */
  graphiqlHeaders?: Record<string, string>;
  /** Where GET /metrics reads from (main shares it with the summary worker); default: a registry of its own. */
  metrics?: Metrics;
}

export type Server = YogaServerInstance<Record<string, unknown>, GraphQLContext> & {
  /** The response cache, when enabled (tests look at it; main closes it). */
  responseCache?: ResponseCache;
  aggregates: AggregateCache;
  metrics: Metrics;
};

const NO_CACHE: CacheInvalidator = { invalidate: async () => {} };

export const GRAPHQL_PATH = '/graphql';

export function createServer({ config, db, logger, auth, redis, reports, exportTokens, graphiqlHeaders, metrics = createMetrics() }: ServerDependencies): Server {
  const authenticate = createAuthenticator(auth, db.prisma);
  const responseCache = config.responseCache.enabled
    ? createResponseCache({ config: config.responseCache, redis, authenticate, logger })
    : undefined;
  const aggregates = createAggregateCache({
    config: config.responseCache,
    redis,
    logger,
    onLookup: (hit) => metrics.cacheLookups.inc({ cache: 'aggregate', result: hit ? 'hit' : 'miss' }),
  });
  const persistedDocuments = createPersistedDocuments({ manifest: loadManifest(), ttlSeconds: config.persistedOperations.ttlSeconds, redis, logger });
  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    ...httpOptions(config.limits, config.server.corsOrigins),
    graphiql: config.server.graphiql
      ? { title: 'weekly-pulse', ...(graphiqlHeaders ? { headers: JSON.stringify(graphiqlHeaders, null, 2) } : {}) }
      : false,
    // Assets inlined, so it works offline; rendered once, outside this process (graphiql-page.ts).
    renderGraphiQL: createGraphiQLRenderer(),
    context: createContextFactory({ db, authenticate, cache: responseCache?.invalidator ?? NO_CACHE, aggregates: aggregates.cache, reports, exportTokens }),
    maskedErrors: { maskError, isDev: false },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    plugins: [
      useRequestId(),
      useErrorCodes(logger),
      useHttpPolicy({ requestTimeoutMs: config.limits.requestTimeoutMs }),
      useQueryLimits({ limits: config.limits, production: config.production }),
      useIntrospectionPolicy({ production: config.production, authenticate }),
      useRequestStats({ db, authenticate }),
      useRequestLog(logger),
      useMetrics({ metrics, db, token: config.metrics.token, production: config.production }),
      useRateLimit({ config: config.rateLimit, trustProxy: config.server.trustProxy, redis, authenticate, logger }),
      useExportRoute({ prisma: db.prisma, sql: db.sql, authenticate, exportTokens, logger, limits: config.exports }),
      usePersistedOperations({ policy: config.persistedOperations.policy, documents: persistedDocuments, authenticate }),
      useIdempotencyKey({ prisma: db.prisma, authenticate, logger }),
      ...(responseCache ? [responseCache.plugin] : []),
      useReadiness({ db, redis: redis?.client }),
    ],
  });
  return Object.assign(yoga, { responseCache, aggregates, metrics });
}
