// What every resolver may use. The server builds it per request (src/server/context.ts).
import type { Viewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ExportTokens } from '../infra/auth/export-token.js';
import type { DataCache } from '../infra/cache/data-cache.js';
import type { SummaryWorker } from '../services/weekly-summary-worker.js';

/** Drops cached responses that contain the given entities ("User" + global id) or types ("WeeklyReportConnection"). */
export interface CacheInvalidator {
  invalidate(entities: { typename: string; id?: string }[]): Promise<void>;
}

export interface GraphQLContext {
  prisma: PrismaClient;
  requestId: string;
  /** The authenticated caller; anonymous requests are refused before a context exists. */
  viewer: Viewer;
  /** Mutations call this after their write commits, before they answer (read-your-writes). */
  cache: CacheInvalidator;
  /** Shared cache of heavy aggregates, keyed by arguments (authorize before asking); tagged by week. */
  aggregates: DataCache;
  /** Weekly summary generation: the background worker and the time zone that decides "last week". */
  reports: { worker: SummaryWorker; timeZone: string };
  /** Figures of groups with fewer reports than `minGroupSize` are suppressed (ANALYTICS_MIN_GROUP_SIZE). */
  analytics: { minGroupSize: number };
  /** Signs export links; absent when no signing secret is configured (JWKS-only deployments). */
  exportTokens?: ExportTokens;
}
