// Sends the reads of GraphQL queries to streaming replicas, with read-your-writes by WAL position
// (decision 0018). Mutations run on the primary; once one has run, the primary's WAL position is
// remembered for its viewer, on every instance's view (write-positions.ts). A query by that viewer goes
// to a replica only if the replica has replayed that position (known from the replica set's polls, no
// round trip); other queries go to any replica within REPLICA_MAX_LAG_MS; otherwise to the primary. A
// statement that fails on a replica runs the whole query again on the primary: nobody sees the failure.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '../domain/viewer.js';
import type { WritePositions } from '../infra/cache/write-positions.js';
import type { Database } from '../infra/database/open-database.js';
import { currentReadScope } from '../infra/database/read-scope.js';
import type { Replica, ReplicaSet } from '../infra/database/replicas.js';
import type { SqlClient } from '../infra/database/sql-client.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import type { GraphQLContext } from '../schema/context.js';

export interface ReadRouter {
  /** The replica `viewer` may read now, with the position it had replayed; none: read the primary. */
  choose(viewer: Viewer | undefined): Promise<{ replica: Replica; replayed: bigint } | undefined>;
  /** After `viewer` wrote: remembers the primary's position for their later reads. */
  wrote(viewer: Viewer): Promise<void>;
  /** The SQL client a CSV export by `viewer` reads with. */
  exportSql(viewer: Viewer): Promise<SqlClient>;
}

const viewerKey = (viewer: Viewer) => (viewer.kind === 'user' ? `user:${viewer.id}` : null);

export function createReadRouter({
  db,
  replicas,
  positions,
  metrics,
  logger,
}: {
  db: Database;
  replicas: ReplicaSet;
  positions: WritePositions;
  metrics: Metrics;
  logger: Logger;
}): ReadRouter {
  const router: ReadRouter = {
    async choose(viewer) {
      const key = viewer && viewerKey(viewer);
      let atLeast: bigint | null = null;
      if (key) {
        // No usable replica at all: no need to ask where this viewer last wrote.
        if (!replicas.anyUsable()) return undefined;
        try {
          atLeast = await positions.lastWrite(key);
        } catch {
          // Cannot tell where the viewer last wrote: the primary is always current.
          return undefined;
        }
      }
      return replicas.choose(atLeast);
    },
    async wrote(viewer) {
      const key = viewerKey(viewer);
      if (!key) return;
      try {
        await positions.rememberWrite(key, await replicas.primaryPosition());
      } catch (error) {
        // Their next reads may then see a replica up to REPLICA_MAX_LAG_MS behind.
        logger.warn({ err: error }, 'could not remember a write position: read-your-writes degrades to the lag bound');
      }
    },
    async exportSql(viewer) {
      const chosen = await router.choose(viewer);
      metrics.reads.inc({ target: chosen ? chosen.replica.name : 'primary' });
      return chosen ? chosen.replica.db.sql : db.sql;
    },
  };
  return router;
}

export function useReadRouting({ db, router, metrics }: { db: Database; router: ReadRouter; metrics: Metrics }): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const ctx = args.contextValue as unknown as GraphQLContext;
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      if (operation === 'mutation') {
        setExecuteFn(async (executeArgs) => {
          try {
            return await executeFn(executeArgs);
          } finally {
            // Before the answer leaves: the viewer's next read, on any instance, sees this write.
            await router.wrote(ctx.viewer);
          }
        });
        return;
      }
      if (operation !== 'query') return;
      setExecuteFn(async (executeArgs) => {
        const scope = currentReadScope();
        const chosen = scope ? await router.choose(ctx.viewer) : undefined;
        if (!scope || !chosen) {
          metrics.reads.inc({ target: 'primary' });
          return executeFn(executeArgs);
        }
        scope.replica = { name: chosen.replica.name, replayed: chosen.replayed };
        ctx.prisma = chosen.replica.prisma;
        const result = await executeFn(executeArgs);
        if (!scope.replicaFailed) {
          metrics.reads.inc({ target: chosen.replica.name });
          return result;
        }
        // Again on the primary, with a context of its own: the loaders and selections of the failed run
        // belong to it. `scope.replica` stays: resolvers of the failed run may still be reading the replica
        // and storing what they read, and the rerun's own answer is then cached only as a replica's would be.
        scope.replicaFailed = false;
        metrics.reads.inc({ target: 'primary' });
        return executeFn({ ...executeArgs, contextValue: { ...ctx, prisma: db.prisma } });
      });
    },
  };
}
