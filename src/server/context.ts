// Builds the per-request GraphQL context from the process-wide dependencies.
import type { YogaInitialContext } from 'graphql-yoga';
import type { Database } from '../infra/database/open-database.js';
import type { GraphQLContext } from '../schema/context.js';
import { requestIdOf } from './use-request-id.js';

export function createContextFactory(deps: { db: Database }) {
  return ({ request }: YogaInitialContext): GraphQLContext => ({
    prisma: deps.db.prisma,
    requestId: requestIdOf(request),
  });
}
