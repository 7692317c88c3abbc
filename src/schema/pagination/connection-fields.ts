// The top-level keyset connections share one resolver shape: validate the page, select what the query
// asks for plus the sort keys, page through the rows, and count only when totalCount is selected.
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { Types } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { paginate, type Connection, type KeysetOrder } from './keyset.js';
import { parsePageArgs, type PageArgs } from './page-args.js';

export interface CountedConnection<T> extends Connection<T> {
  /** Runs COUNT(*) over the filtered rows; called only when `totalCount` is selected. */
  totalCount: () => Promise<number>;
  /** The planner's row estimate, when the list is unfiltered (else null: the exact count is used). */
  estimate?: () => Promise<number | null>;
}

type Row = Record<string, unknown>;

export interface KeysetConnectionOptions<Where extends object> {
  ctx: GraphQLContext;
  info: GraphQLResolveInfo;
  args: PageArgs;
  /** The GraphQL type of the nodes (for the selection). */
  typeName: string;
  order: KeysetOrder;
  /** The filter; the page's keyset condition is ANDed to it, totalCount counts it. */
  where: Where;
  findMany: (query: { select: Row; where: Where; orderBy: Row[]; take: number }) => Promise<Row[]>;
  count: (where: Where) => Promise<number>;
  /** For `totalCount(approximate: true)`: the table whose planner estimate stands for an unfiltered list. */
  estimateTable?: string;
}

export async function resolveKeysetConnection<Where extends object>(
  options: KeysetConnectionOptions<Where>,
): Promise<CountedConnection<never>> {
  const { ctx, info, args, typeName, order, where } = options;
  const page = parsePageArgs(args);
  const query = queryFromInfo({ context: ctx, info, typeName, path: ['edges', 'node'] }) as { select?: Row };
  const select: Row = { ...(query.select ?? {}) };
  for (const key of order) select[key.field] = true;
  const connection = await paginate(order, page, (q) =>
    options.findMany({ select, where: (q.where ? { AND: [where, q.where] } : where) as Where, orderBy: q.orderBy, take: q.take }),
  );
  const table = options.estimateTable;
  return {
    ...connection,
    totalCount: () => options.count(where),
    estimate: table ? () => plannerEstimate(ctx, table) : undefined,
  } as CountedConnection<never>;
}

/** pg_class.reltuples, kept by ANALYZE/autovacuum: free to read, typically within a few percent. */
async function plannerEstimate(ctx: GraphQLContext, table: string): Promise<number | null> {
  const rows = await ctx.prisma.$queryRaw<{ estimate: number }[]>`
    SELECT reltuples::float8 AS estimate FROM pg_class WHERE oid = to_regclass(${table})`;
  const estimate = rows[0]?.estimate;
  // -1 (never analysed) or 0 on a small fresh table: no useful estimate.
  return estimate !== undefined && estimate > 0 ? Math.round(estimate) : null;
}

/** Connection type options: a name and an exact, lazily computed totalCount. */
export function countedConnection(typeName: string) {
  return {
    name: `${typeName}Connection`,
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>) => ({
      totalCount: t.int({
        description:
          'Number of items matching the filter (ignores paging). Exact by default: one COUNT query over the filtered ' +
          'rows, proportional to their number (about 100-300 ms per million rows), run only when selected. ' +
          '`approximate: true` answers from the planner statistics instantly for unfiltered lists (within a few ' +
          'percent, as fresh as the last ANALYZE) and counts exactly otherwise.',
        args: { approximate: t.arg.boolean({ defaultValue: false }) },
        resolve: async (connection, { approximate }) => {
          const counted = connection as CountedConnection<unknown>;
          if (approximate && counted.estimate) {
            const estimate = await counted.estimate();
            if (estimate !== null) return estimate;
          }
          return counted.totalCount();
        },
      }),
    }),
  };
}
