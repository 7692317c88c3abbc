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
  return { ...connection, totalCount: () => options.count(where) } as CountedConnection<never>;
}

/** Connection type options: a name and an exact, lazily computed totalCount. */
export function countedConnection(typeName: string) {
  return {
    name: `${typeName}Connection`,
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>) => ({
      totalCount: t.int({
        description:
          'Exact number of items matching the filter (ignores paging). Costs one COUNT query over the filtered rows, ' +
          'proportional to their number; it runs only when selected.',
        resolve: (connection) => (connection as CountedConnection<unknown>).totalCount(),
      }),
    }),
  };
}
