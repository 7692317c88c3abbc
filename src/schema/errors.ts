// The API's errors as GraphQL errors: every one carries a code of src/domain/errors.ts, and a request-level
// one (raised before execution) also the HTTP status listed there. Resolvers, scalars and plugins raise
// these; use cases raise AppError, which the server renders with `fromAppError`.
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import { ERRORS, type AppError, type ErrorCode } from '../domain/errors.js';

export interface ApiErrorOptions extends Pick<GraphQLErrorOptions, 'nodes' | 'path' | 'originalError' | 'source' | 'positions'> {
  /** Extensions beside the code (e.g. `field`, `argument`, `max`). */
  extensions?: Record<string, unknown>;
  /** The error refuses the whole request: answer with the code's HTTP status, plus these headers. */
  request?: true | { headers: Record<string, string> };
}

export function apiError(code: ErrorCode, message: string, options: ApiErrorOptions = {}): GraphQLError {
  const { extensions, request, ...rest } = options;
  const kind = ERRORS[code];
  const http = request
    ? {
        http: { status: kind.status, ...(request === true ? {} : { headers: request.headers }), ...('spec' in kind ? { spec: true } : {}) },
      }
    : {};
  return new GraphQLError(message, { ...rest, extensions: { ...extensions, code, ...http } });
}

/** The GraphQL error a use case's AppError becomes, at the place (nodes, path) graphql-js reported it. */
export function fromAppError(error: AppError, at: Pick<GraphQLErrorOptions, 'nodes' | 'path'> = {}): GraphQLError {
  return apiError(error.code, error.message, { ...at, extensions: error.field ? { field: error.field } : {} });
}

/** An invalid argument or variable (BAD_USER_INPUT); graphql-js keeps it as the cause of a coercion error. */
export class UserInputError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode, ...extensions } });
  }
}

/** The viewer is known but may not do this. The message never says what exists. */
export class ForbiddenError extends GraphQLError {
  constructor(message = 'Not allowed for your role.') {
    super(message, { extensions: { code: 'FORBIDDEN' satisfies ErrorCode } });
  }
}
