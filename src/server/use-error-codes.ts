// Every error a client receives has a stable `extensions.code` from src/domain/errors.ts. Errors graphql-js
// raises without one get theirs from where they were raised, never from their text: a document that does
// not parse GRAPHQL_PARSE_FAILED (when it is parsed), a variable that does not coerce BAD_USER_INPUT (its
// error points at the variable's definition), any other error before execution GRAPHQL_VALIDATION_FAILED.
// Unexpected errors get the request id and are logged in full here (the client sees only the masked message).
import { GraphQLError, Kind, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../domain/errors.js';
import type { Logger } from '../infra/logger.js';
import { apiError } from '../schema/errors.js';
import type { RequestIds } from './use-request-id.js';

/** The code of an error raised without one. */
function codeFor(error: GraphQLError): ErrorCode {
  if (error.path) return 'INTERNAL_SERVER_ERROR';
  if (error.nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION) return 'BAD_USER_INPUT';
  return 'GRAPHQL_VALIDATION_FAILED';
}

export function useErrorCodes({ logger, requestIds }: { logger: Logger; requestIds: RequestIds }): Plugin {
  const fix = (result: ExecutionResult, requestId: string): ExecutionResult => {
    if (!result.errors?.length) return result;
    const errors = result.errors.map((error) => {
      const code = (error.extensions?.code as string | undefined) ?? codeFor(error);
      if (code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: error.originalError ?? error, path: error.path, requestId }, 'unexpected error');
      }
      const extensions = { ...error.extensions, code, ...(code === 'INTERNAL_SERVER_ERROR' ? { requestId } : {}) };
      if (error.extensions?.code === code && code !== 'INTERNAL_SERVER_ERROR') return error;
      return new GraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions,
      });
    });
    return { ...result, errors };
  };
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        // A syntax error (limit errors raised while parsing carry their own code).
        if (result instanceof GraphQLError && result.extensions?.code === undefined) {
          replaceParseResult(apiError('GRAPHQL_PARSE_FAILED', result.message, { source: result.source, positions: result.positions }));
        }
      };
    },
    onResultProcess({ request, result, setResult }) {
      if (Symbol.asyncIterator in (result as object)) return;
      const requestId = requestIds.of(request);
      setResult(
        Array.isArray(result)
          ? result.map((r) => fix(r as ExecutionResult, requestId))
          : (fix(result as ExecutionResult, requestId) as typeof result),
      );
    },
  };
}
