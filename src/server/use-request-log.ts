// One structured log line per GraphQL request: request id, operation, viewer id (never a token),
// duration, response cache, SQL statement count and HTTP status.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../infra/logger.js';
import type { RequestStatsCollector } from './use-request-stats.js';

export function useRequestLog({ logger, stats: collector }: { logger: Logger; stats: RequestStatsCollector }): Plugin {
  return {
    onResponse({ request, response }) {
      const stats = collector.statsOf(request, response);
      if (!stats) return;
      const names = stats.operations.map((o) => o.name ?? 'anonymous');
      logger.info(
        {
          requestId: stats.requestId,
          operationName: names.length ? names.join(',') : null,
          ...(names.length > 1 ? { operations: names.length } : {}),
          viewerId: stats.viewerId,
          durationMs: stats.durationMs,
          cache: stats.cache,
          sqlStatements: stats.sqlStatements,
          status: stats.status,
          ...(stats.errorCodes.length ? { errorCodes: [...new Set(stats.errorCodes)] } : {}),
        },
        'graphql request',
      );
    },
  };
}
