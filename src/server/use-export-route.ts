// GET /export/weekly-reports.csv?from=&to=&country=&city= for ANALYST and ADMIN, with a bearer token or a
// short-lived `token` from `exportUrl`. Streams CSV in keyset-paged batches: the next batch is read only
// when the client has taken the previous one (backpressure), and a client that goes away stops the reading.
import type { Plugin } from 'graphql-yoga';
import { readsEverything, type Viewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { SqlClient } from '../infra/database/sql-client.js';
import type { ExportTokens } from '../infra/auth/export-token.js';
import type { Logger } from '../infra/logger.js';
import { csvHeader, EXPORT_PATH, exportWeeklyReportsCsv, parseExportFilter, type ExportFilter } from '../services/export-weekly-reports.js';
import type { Authenticate } from './authenticate.js';

function problem(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

export function useExportRoute(deps: {
  prisma: PrismaClient;
  /** Raw SQL for the rows themselves (flat rows stream faster and lighter than Prisma objects). */
  sql: SqlClient;
  authenticate: Authenticate;
  exportTokens?: ExportTokens;
  logger: Logger;
}): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== EXPORT_PATH) return;
      if (request.method !== 'GET') return endResponse(problem(405, 'METHOD_NOT_ALLOWED', 'Use GET.'));
      const token = url.searchParams.get('token');
      let viewer: Viewer | null = null;
      let filter: ExportFilter | string = parseExportFilter(url.searchParams);
      if (token) {
        const grant = deps.exportTokens ? await deps.exportTokens.verify<ExportFilter>(token) : null;
        const user = grant
          ? await deps.prisma.user.findUnique({ where: { id: grant.userId }, select: { id: true, role: true, managerId: true, active: true } })
          : null;
        if (user?.active) viewer = { kind: 'user', id: user.id, role: user.role, managerId: user.managerId };
        if (grant) filter = grant.filter; // the link's filter is the signed one
      } else {
        viewer = await deps.authenticate(request).catch(() => null);
      }
      if (!viewer) return endResponse(problem(401, 'UNAUTHENTICATED', 'Authentication required: a bearer token or a valid export link.'));
      if (!readsEverything(viewer)) return endResponse(problem(403, 'FORBIDDEN', 'Exports are for ANALYST and ADMIN.'));
      if (typeof filter === 'string') return endResponse(problem(400, 'BAD_USER_INPUT', filter));

      const batches = exportWeeklyReportsCsv(deps.sql, filter);
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(`\ufeff${csvHeader()}`));
        },
        async pull(controller) {
          try {
            const next = await batches.next();
            if (next.done) controller.close();
            else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
          } catch (error) {
            deps.logger.error({ err: error }, 'export failed mid-stream');
            controller.error(error);
          }
        },
        async cancel() {
          await batches.return(undefined);
        },
      }, { highWaterMark: 1 });
      const name = ['weekly-reports', filter.from, filter.to, filter.country, filter.city].filter(Boolean).join('_').replace(/[^\w.-]+/g, '-');
      endResponse(
        new Response(stream, {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${name}.csv"`,
            'cache-control': 'no-store',
          },
        }),
      );
    },
  };
}
