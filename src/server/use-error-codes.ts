// Every error a client receives has a stable `extensions.code`: parse and validation errors get
// graphql-js/Apollo codes, invalid variables BAD_USER_INPUT; unexpected errors get the request id
// and are logged in full here (the client sees only the masked message).
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../infra/logger.js';
import { ErrorCode } from '../schema/errors.js';
import { requestIdOf } from './use-request-id.js';

function codeFor(error: GraphQLError): string {
  if (error.message.startsWith('Syntax Error')) return 'GRAPHQL_PARSE_FAILED';
  if (/^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(error.message)) {
    return ErrorCode.BAD_USER_INPUT;
  }
  if (error.path) return ErrorCode.INTERNAL_SERVER_ERROR;
  return 'GRAPHQL_VALIDATION_FAILED';
}

export function useErrorCodes(logger: Logger): Plugin {
  const fix = (result: ExecutionResult, requestId: string): ExecutionResult => {
    if (!result.errors?.length) return result;
    const errors = result.errors.map((error) => {
      const code = (error.extensions?.code as string | undefined) ?? codeFor(error);
      if (code === ErrorCode.INTERNAL_SERVER_ERROR) {
        logger.error({ err: error.originalError ?? error, path: error.path, requestId }, 'unexpected error');
      }
      const extensions = { ...error.extensions, code, ...(code === ErrorCode.INTERNAL_SERVER_ERROR ? { requestId } : {}) };
      if (error.extensions?.code === code && code !== ErrorCode.INTERNAL_SERVER_ERROR) return error;
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
    onResultProcess({ request, result, setResult }) {
      if (Symbol.asyncIterator in (result as object)) return;
      const requestId = requestIdOf(request);
      setResult(
        Array.isArray(result)
          ? result.map((r) => fix(r as ExecutionResult, requestId))
          : (fix(result as ExecutionResult, requestId) as typeof result),
      );
    },
  };
}
