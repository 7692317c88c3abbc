// Pieces shared by the top-level keyset connections: the lazily computed totalCount, and the selection
// a page needs (the GraphQL selection plus the sort keys its cursors are made of).
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../context.js';
import type { Connection, KeysetOrder } from './keyset.js';

export interface CountedConnection<T> extends Connection<T> {
  /** Runs COUNT(*) over the filtered rows; called only when `totalCount` is selected. */
  totalCount: () => Promise<number>;
}

/** The Prisma `select` for the nodes of a connection field, with every sort key added. */
export function nodeSelection(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  typeName: string,
  order: KeysetOrder,
): { select: Record<string, unknown> } {
  const query = queryFromInfo({ context: ctx, info, typeName, path: ['edges', 'node'] }) as {
    select?: Record<string, unknown>;
  };
  const select: Record<string, unknown> = { ...(query.select ?? {}) };
  for (const key of order) select[key.field] = true;
  return { select };
}

export const TOTAL_COUNT_DESCRIPTION =
  'Exact number of items matching the filter (ignores paging). Costs one COUNT query over the filtered rows, ' +
  'proportional to their number; it runs only when selected.';
