// What every resolver may use. The server builds it per request (src/server/context.ts).
import type { PrismaClient } from '../generated/prisma/client.js';

export interface GraphQLContext {
  prisma: PrismaClient;
  requestId: string;
}
