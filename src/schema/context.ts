// What every resolver may use. The server builds it per request (src/server/context.ts).
import type { Viewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface GraphQLContext {
  prisma: PrismaClient;
  requestId: string;
  /** The authenticated caller; anonymous requests are refused before a context exists. */
  viewer: Viewer;
}
