// Prometheus metrics: serves `GET /metrics` (bearer METRICS_TOKEN when set; without one, open outside
// production and not served in production) and records every GraphQL request and lock wait into them.
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../infra/database/open-database.js';
import type { Metrics } from '../infra/metrics.js';
import { sameSecret } from './identity.js';
import type { RequestStatsCollector } from './use-request-stats.js';

export const METRICS_PATH = '/metrics';

/** Statements that take a lock; their duration is mostly the wait for it. */
const LOCK_STATEMENTS: [lock: string, pattern: RegExp][] = [
  ['advisory', /\bpg_advisory(_xact)?_lock\s*\(/i],
  ['row', /\bFOR\s+(NO\s+KEY\s+)?UPDATE\b/i],
];

export function useMetrics(options: {
  metrics: Metrics;
  db: Database;
  /** What each GraphQL request did; without it only /metrics and lock waits are served. */
  stats?: RequestStatsCollector;
  token?: string;
  production: boolean;
}): Plugin {
  const { metrics, db, stats: collector, token, production } = options;
  const stopWatchingLocks = db.onQuery((event) => {
    const lock = LOCK_STATEMENTS.find(([, pattern]) => pattern.test(event.sql))?.[0];
    if (lock) metrics.lockWait.observe({ lock }, event.durationMs / 1000);
  });
  const served = token !== undefined || !production;

  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!served || url.pathname !== METRICS_PATH || request.method !== 'GET') return;
      return serve();
      async function serve() {
        if (token !== undefined) {
          const given = /^Bearer +(\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
          if (given === undefined || !sameSecret(given, token)) {
            endResponse(
              new fetchAPI.Response('metrics need the bearer METRICS_TOKEN\n', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } }),
            );
            return;
          }
        }
        endResponse(new fetchAPI.Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }));
      }
    },
    onResponse({ request, response }) {
      const stats = collector?.statsOf(request, response);
      if (!stats) return;
      for (const operation of stats.operations) {
        // Only operations that produced data may claim a label, so rejected junk names cannot fill them.
        metrics.operationDuration.observe(
          { operation: metrics.operationLabel(operation.name, operation.hasData) },
          stats.durationMs / 1000,
        );
        if (operation.cache !== 'none') metrics.cacheLookups.inc({ cache: 'response', result: operation.cache });
      }
      for (const code of stats.errorCodes) metrics.errors.inc({ code });
      metrics.sqlStatements.observe(stats.sqlStatements);
    },
    onDispose() {
      stopWatchingLocks();
    },
  };
}
