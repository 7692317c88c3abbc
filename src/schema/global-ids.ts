// Turning decoded global IDs from input into database ids, with errors that name the field.
import type { UserViewer } from '../domain/viewer.js';
import type { GraphQLContext } from './context.js';
import { UserInputError } from './errors.js';

export function idOf(globalId: { typename: string; id: string }, typename: string, field: string): number {
  const id = Number(globalId.id);
  if (globalId.typename !== typename || !Number.isSafeInteger(id) || id <= 0) {
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
