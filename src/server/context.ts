// Builds the per-request GraphQL context from the process-wide dependencies: authenticates first, so a
// request without a valid identity never reaches a resolver.
import type { YogaInitialContext } from 'graphql-yoga';
import type { DataCache } from '../infra/cache/data-cache.js';
import type { Database } from '../infra/database/open-database.js';
import type { CacheInvalidator, GraphQLContext } from '../schema/context.js';
import type { Authenticate } from './authenticate.js';
import { requestIdOf } from './use-request-id.js';

export function createContextFactory(deps: {
  db: Database;
  authenticate: Authenticate;
  cache: CacheInvalidator;
  aggregates: DataCache;
  reports: GraphQLContext['reports'];
  analytics: GraphQLContext['analytics'];
  exportTokens?: GraphQLContext['exportTokens'];
}) {
  return async ({ request }: YogaInitialContext): Promise<GraphQLContext> => ({
    prisma: deps.db.prisma,
    requestId: requestIdOf(request),
    viewer: await deps.authenticate(request),
    cache: deps.cache,
    aggregates: deps.aggregates,
    reports: deps.reports,
    analytics: deps.analytics,
    exportTokens: deps.exportTokens,
  });
}
