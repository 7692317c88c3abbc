// Decides what a client may see of an error: our own coded errors and input validation errors pass
// through; anything unexpected becomes INTERNAL_SERVER_ERROR. The masked error keeps the original
// (never serialised) so use-error-codes.ts can log it with the request id.
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../schema/errors.js';
import { isDatabaseUnavailable } from '../infra/database/unavailable.js';
import { ServiceError } from '../services/service-error.js';

/** Seconds a client should wait before retrying while the database is unavailable. */
const RETRY_AFTER_S = 5;

export function maskError(error: unknown, message: string): Error {
  if (!(error instanceof GraphQLError)) return unexpected(error, message);
  const original = error.originalError;
  if (original instanceof ServiceError) {
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
    });
  }
  if (original instanceof PothosValidationError) {
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
    });
  }
  // A GraphQLError raised on purpose (by us or by graphql-js) carries its own message and code.
  if (!original || original instanceof GraphQLError) return error;
  return unexpected(original, message, error);
}

function unexpected(original: unknown, message: string, wrapper?: GraphQLError): GraphQLError {
  if (isDatabaseUnavailable(original)) {
    // Expected during a database restart or failover: say so (no detail), and when to come back.
    return new GraphQLError('The service is temporarily unavailable; try again shortly.', {
      nodes: wrapper?.nodes,
      path: wrapper?.path,
      originalError: original instanceof Error ? original : new Error(String(original)),
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_S) } } },
    });
  }
  return new GraphQLError(message, {
    nodes: wrapper?.nodes,
    path: wrapper?.path,
    originalError: original instanceof Error ? original : new Error(String(original)),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  });
}
