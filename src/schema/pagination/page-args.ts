// Validation of Relay page arguments shared by every connection: sizes are checked, never clamped.
import { UserInputError } from '../errors.js';
import { isDatabaseId } from '../global-ids.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** How a root connection's description states its page sizes. */
export const KEYSET_PAGES = `keyset-paginated (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE} per page)`;
/** Ids one nodes(ids:) call may look up: a page's worth of refetches, not a bulk export. */
export const MAX_NODE_IDS = 50;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface Page {
  /** Rows wanted on this page. */
  size: number;
  /** True when paging backwards (last/before). */
  backward: boolean;
  /** The cursor to continue from, if any. */
  cursor: string | null;
}

export function parsePageArgs(args: PageArgs): Page {
  const { first, last, after, before } = args;
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value == null) continue;
    if (value < 0) throw new UserInputError(`"${name}" must not be negative`, { argument: name });
    if (value > MAX_PAGE_SIZE) {
      throw new UserInputError(`"${name}" must be at most ${MAX_PAGE_SIZE}`, { argument: name, max: MAX_PAGE_SIZE });
    }
  }
  if (first != null && last != null) throw new UserInputError('pass either "first" or "last", not both');
  if (after != null && before != null) throw new UserInputError('pass either "after" or "before", not both');
  if (first != null && before != null) throw new UserInputError('"first" pages forward: use it with "after", not "before"');
  if (last != null && after != null) throw new UserInputError('"last" pages backward: use it with "before", not "after"');
  const backward = last != null || before != null;
  return { size: first ?? last ?? DEFAULT_PAGE_SIZE, backward, cursor: after ?? before ?? null };
}

/**
 * For Pothos-managed (nested) connections: validates the arguments, then returns the maximum page size.
 * Pothos calls it before it reads the cursor, so the cursor is checked here too.
 */
export function checkedMaxPageSize(args: PageArgs): number {
  const page = parsePageArgs(args);
  if (page.cursor != null) checkIdCursor(page.cursor, page.backward ? 'before' : 'after');
  return MAX_PAGE_SIZE;
}

/**
 * A nested connection's cursor (`cursor: 'id'`) is Pothos' base64 of `GPC:N:<id>`. Pothos would take any
 * tagged value (a string, an object, an id beyond the column) and hand it to Prisma, which fails.
 */
function checkIdCursor(cursor: string, field: string): void {
  const match = cursor.length <= 64 ? /^GPC:N:([1-9][0-9]{0,9})$/.exec(Buffer.from(cursor, 'base64').toString('utf8')) : null;
  if (!match || !isDatabaseId(Number(match[1]))) {
    throw new UserInputError(`${field}: invalid cursor: pass a cursor this connection returned`, { argument: 'cursor', field });
  }
}
