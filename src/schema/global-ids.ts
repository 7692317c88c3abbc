// Turning decoded global IDs from input into database ids, with errors that name the field.
import type { UserViewer } from '../domain/viewer.js';
import type { GraphQLContext } from './context.js';
import { UserInputError } from './errors.js';

/** Every id column is a PostgreSQL `integer` serial: ids are 1..2^31-1, anything else is not an id. */
export const MAX_DATABASE_ID = 2_147_483_647;

export function isDatabaseId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_DATABASE_ID;
}

export function idOf(globalId: { typename: string; id: string }, typename: string, field: string): number {
  const id = Number(globalId.id);
  if (globalId.typename !== typename || !isDatabaseId(id)) {
    throw new UserInputError(`${field} must be the id of a ${typename}`, { field });
  }
  return id;
}

export function idsOf(globalIds: readonly { typename: string; id: string }[], typename: string, field: string): number[] {
  return globalIds.map((g) => idOf(g, typename, field));
}

/** The signed-in user behind a field whose authScopes already require one. */
export function signedInViewer(ctx: GraphQLContext): UserViewer {
  if (ctx.viewer.kind !== 'user') throw new Error('field reached without a signed-in user');
  return ctx.viewer;
}
