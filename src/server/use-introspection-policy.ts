// Introspection and "Did you mean ...?" suggestions map the schema for whoever asks: in production only
// ANALYST and ADMIN (GraphiQL, codegen) get them. Everyone gets both outside production.
import { GraphQLError, visit, BREAK, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { readsEverything, type Viewer } from '../domain/viewer.js';
import type { GraphQLContext } from '../schema/context.js';
import { apiError } from '../schema/errors.js';
import { viewerOf, type Identities } from './identity.js';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Whether any field of the document introspects, wherever it hides: under an alias, in a fragment, in
 * another operation. Names of operations and fragments (`query __schema`) are not fields and do not count.
 */
export function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (INTROSPECTION_FIELDS.has(node.name.value)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

const SUGGESTION = / ?Did you mean [^?]*\?/g;
const suggests = (result: ExecutionResult) => result.errors?.some((e) => e.message.includes('Did you mean')) === true;

function withoutSuggestions(result: ExecutionResult): ExecutionResult {
  if (!suggests(result)) return result;
  // New errors, never edited in place: validation results are cached and shared with analysts' requests.
  const errors = result.errors?.map((error) => {
    const message = error.message.replace(SUGGESTION, '');
    if (message === error.message) return error;
    return new GraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: error.extensions,
    });
  });
  return { ...result, errors };
}

const mayIntrospect = (viewer: Viewer | null): boolean => viewer !== null && readsEverything(viewer);

export function useIntrospectionPolicy({
  production,
  identities,
}: {
  production: boolean;
  identities: Identities;
}): Plugin<GraphQLContext> {
  if (!production) return {};
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (mayIntrospect(args.contextValue.viewer) || !introspects(args.document)) return;
      setResultAndStopExecution({
        errors: [apiError('INTROSPECTION_DISABLED', 'Introspection is available to ANALYST and ADMIN only.', { request: true })],
      });
    },
    onResultProcess({ request, result, setResult }) {
      if (Symbol.asyncIterator in (result as object)) return;
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      if (!results.some(suggests)) return;
      // Validation errors come before authentication: an anonymous caller gets no suggestions either.
      return identities.of(request).then((identity) => {
        if (mayIntrospect(viewerOf(identity))) return;
        setResult(
          Array.isArray(result)
            ? result.map((r) => withoutSuggestions(r as ExecutionResult))
            : (withoutSuggestions(result as ExecutionResult) as typeof result),
        );
      });
    },
  };
}
