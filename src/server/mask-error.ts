// Decides what a client may see of an error: our own coded errors and input validation errors pass
// through; anything unexpected becomes INTERNAL_SERVER_ERROR. The masked error keeps the original
// (never serialised) so use-error-codes.ts can log it with the request id.
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { AppError } from '../domain/errors.js';
import { isDatabaseUnavailable } from '../infra/database/unavailable.js';
import { apiError, fromAppError } from '../schema/errors.js';

/** Seconds a client should wait before retrying while the database is unavailable. */
export const RETRY_AFTER_S = 5;

export function maskError(error: unknown, message: string): Error {
  if (!(error instanceof GraphQLError)) return unexpected(error, message);
  const original = error.originalError;
  if (original instanceof AppError) return fromAppError(original, error);
  if (original instanceof PothosValidationError) {
    return apiError('BAD_USER_INPUT', original.message, { nodes: error.nodes, path: error.path, extensions: error.extensions });
  }
  // A GraphQLError raised on purpose (by us or by graphql-js) carries its own message and code.
  if (!original || original instanceof GraphQLError) return error;
  return unexpected(original, message, error);
}

/** The error of a request that failed because the database is down: no detail, and when to come back. */
export function serviceUnavailable(
  original: unknown,
  at: { nodes?: GraphQLError['nodes']; path?: GraphQLError['path'] } = {},
): GraphQLError {
  return apiError('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly.', {
    ...at,
    originalError: original instanceof Error ? original : new Error(String(original)),
    request: { headers: { 'Retry-After': String(RETRY_AFTER_S) } },
  });
}

function unexpected(original: unknown, message: string, wrapper?: GraphQLError): GraphQLError {
  const at = { nodes: wrapper?.nodes, path: wrapper?.path };
  // Expected during a database restart or failover: say so, and when to come back.
  if (isDatabaseUnavailable(original)) return serviceUnavailable(original, at);
  return apiError('INTERNAL_SERVER_ERROR', message, {
    ...at,
    originalError: original instanceof Error ? original : new Error(String(original)),
  });
}
