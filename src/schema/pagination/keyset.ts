// Keyset (cursor) pagination for top-level connections. The cursor holds the sort values of the last
// row, and the next page starts with an index range condition, so page 1000 costs what page 1 costs.
import { UserInputError } from '../errors.js';
import { isDatabaseId } from '../global-ids.js';
import type { Page } from './page-args.js';

/** `int`: every integer key is a row id (the tie-breaker), so a cursor's must be 1..2^31-1 (the column's range). */
export type SortValueType = 'string' | 'int' | 'date';

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
  type: SortValueType;
}

/** An ordering whose last key is unique (the id tie-breaker). */
export type KeysetOrder = readonly SortKey[];

type Row = Record<string, unknown>;

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const CURSOR_VERSION = 1;

function orderSignature(order: KeysetOrder): string {
  return order.map((k) => `${k.field}:${k.direction}`).join(',');
}

export function encodeCursor(order: KeysetOrder, row: Row): string {
  const values = order.map((k) => {
    const value = row[k.field];
    return value instanceof Date ? value.toISOString() : value;
  });
  return Buffer.from(JSON.stringify([CURSOR_VERSION, orderSignature(order), values])).toString('base64url');
}

/** What encodeCursor writes for a date: toISOString() of a year 0001..9999 (PostgreSQL has no year 0). */
const ISO_TIMESTAMP = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The sort values a cursor holds, each checked against its key's type and what the column can hold, so a
 * forged cursor is bad input rather than a failing statement. `field` names the argument it came in.
 */
export function decodeCursor(order: KeysetOrder, cursor: string, field: 'after' | 'before'): unknown[] {
  const invalid = () =>
    new UserInputError(`${field}: invalid cursor: pass a cursor this connection returned`, { argument: 'cursor', field });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== CURSOR_VERSION) throw invalid();
  const [, signature, values] = parsed as [number, unknown, unknown];
  if (signature !== orderSignature(order)) {
    throw new UserInputError(`${field}: cursor was issued for another ordering of this connection`, { argument: 'cursor', field });
  }
  if (!Array.isArray(values) || values.length !== order.length) throw invalid();
  return order.map((key, i) => {
    const value: unknown = values[i];
    // PostgreSQL text cannot hold NUL: no row has one, and the statement would fail.
    if (key.type === 'string' && typeof value === 'string' && !value.includes('\u0000')) return value;
    if (key.type === 'int' && isDatabaseId(value)) return value;
    if (key.type === 'date' && typeof value === 'string' && ISO_TIMESTAMP.test(value)) {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date;
    }
    throw invalid();
  });
}

/** Prisma `orderBy` for the page (reversed when paging backwards). */
export function keysetOrderBy(order: KeysetOrder, backward: boolean) {
  return order.map((k) => ({ [k.field]: backward ? flip(k.direction) : k.direction }));
}

/**
 * Prisma `where` for "rows after the cursor": (a > x) OR (a = x AND id > y), plus a leading `a >= x`
 * so PostgreSQL can start an index range scan at the cursor instead of filtering from the beginning.
 */
export function keysetWhere(order: KeysetOrder, values: unknown[], backward: boolean): Row {
  const cmp = (k: SortKey) => ((k.direction === 'asc') !== backward ? 'gt' : 'lt');
  const branches = order.map((key, i) => ({
    ...Object.fromEntries(order.slice(0, i).map((prev, j) => [prev.field, values[j]])),
    [key.field]: { [cmp(key)]: values[i] },
  }));
  const first = order[0]!;
  return { AND: [{ [first.field]: { [`${cmp(first)}e`]: values[0] } }, { OR: branches }] };
}

function flip(direction: 'asc' | 'desc'): 'asc' | 'desc' {
  return direction === 'asc' ? 'desc' : 'asc';
}

/**
 * Runs one page: `fetch` receives the Prisma where/orderBy/take for the page and returns rows that
 * include every sort field.
 */
export async function paginate<T extends Row>(
  order: KeysetOrder,
  page: Page,
  fetch: (args: { where: Row | undefined; orderBy: Row[]; take: number }) => Promise<T[]>,
): Promise<Connection<T>> {
  const values = page.cursor != null ? decodeCursor(order, page.cursor, page.backward ? 'before' : 'after') : null;
  const rows =
    page.size === 0
      ? []
      : await fetch({
          where: values ? keysetWhere(order, values, page.backward) : undefined,
          orderBy: keysetOrderBy(order, page.backward),
          take: page.size + 1,
        });
  const hasMore = rows.length > page.size;
  const pageRows = rows.slice(0, page.size);
  if (page.backward) pageRows.reverse();
  // Encoded when read: most pages ask for pageInfo's cursors, not each edge's.
  const edges = pageRows.map((node) => ({
    node,
    get cursor() {
      return encodeCursor(order, node);
    },
  }));
  return {
    edges,
    pageInfo: {
      // Relay allows answering the opposite direction cheaply: a cursor means rows exist on that side.
      hasNextPage: page.backward ? page.cursor != null : hasMore,
      hasPreviousPage: page.backward ? hasMore : page.cursor != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
