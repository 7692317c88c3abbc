// Builds the per-request GraphQL context from the process-wide dependencies. The request's identity was
// decided earlier in the pipeline (identity.ts); a request without a viewer is answered here (401, or 503
// while the database is down) and never reaches a resolver.
import type { YogaInitialContext } from 'graphql-yoga';
import type { DataCache } from '../infra/cache/data-cache.js';
import type { Database } from '../infra/database/open-database.js';
import type { CacheInvalidator, GraphQLContext } from '../schema/context.js';
import { requireViewer, type Identities } from './identity.js';
import type { RequestIds } from './use-request-id.js';

export function createContextFactory(deps: {
  db: Database;
  identities: Identities;
  requestIds: RequestIds;
  cache: CacheInvalidator;
  aggregates: DataCache;
  reports: GraphQLContext['reports'];
  analytics: GraphQLContext['analytics'];
  exportTokens?: GraphQLContext['exportTokens'];
}) {
  return async ({ request }: YogaInitialContext): Promise<GraphQLContext> => ({
    prisma: deps.db.prisma,
    requestId: deps.requestIds.of(request),
    viewer: requireViewer(await deps.identities.of(request)),
    cache: deps.cache,
    aggregates: deps.aggregates,
    reports: deps.reports,
    analytics: deps.analytics,
    exportTokens: deps.exportTokens,
  });
}
