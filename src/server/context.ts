// Builds the per-request GraphQL context from the process-wide dependencies: authenticates first, so a
// request without a valid identity never reaches a resolver.
import type { YogaInitialContext } from 'graphql-yoga';
import type { Database } from '../infra/database/open-database.js';
import type { GraphQLContext } from '../schema/context.js';
import { createAuthenticator, type AuthDependencies } from './authenticate.js';
import { requestIdOf } from './use-request-id.js';

export function createContextFactory(deps: { db: Database; auth: AuthDependencies }) {
  const authenticate = createAuthenticator(deps.auth, deps.db.prisma);
  return async ({ request }: YogaInitialContext): Promise<GraphQLContext> => ({
    prisma: deps.db.prisma,
    requestId: requestIdOf(request),
    viewer: await authenticate(request),
  });
}
