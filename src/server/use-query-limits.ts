// Limits on what one operation may ask for, so no single request can make the server do unbounded work:
// tokens, depth, aliases and directives (GraphQL Armor, checked on the document, cached with it) and a
// cost that multiplies by page sizes (query-cost.ts, checked per request, since `first: $n` is a variable).
// Persisted documents run the same pipeline, so the limits hold for them too. In production an error says
// which limit was hit, never the numbers, so a client cannot tune a query to sit just below them.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { getOperationAST, type GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { ErrorCode } from '../domain/errors.js';
import { apiError } from '../schema/errors.js';
import { operationCost } from './query-cost.js';

export type QueryLimits = Pick<Config['limits'], 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxCost'>;

const LIMITS = {
  tokens: { code: 'QUERY_TOO_LARGE', message: 'Query is too large.' },
  depth: { code: 'QUERY_TOO_DEEP', message: 'Query is too deep.' },
  aliases: { code: 'TOO_MANY_ALIASES', message: 'Query has too many aliases.' },
  directives: { code: 'TOO_MANY_DIRECTIVES', message: 'Query has too many directives.' },
  cost: { code: 'QUERY_TOO_COMPLEX', message: 'Query is too complex.' },
} as const satisfies Record<string, { code: ErrorCode; message: string }>;

type Limit = keyof typeof LIMITS;

/**
 * A request error (nothing ran): 400 for `application/graphql-response+json`, 200 for `application/json`
 * as the GraphQL-over-HTTP specification asks (`spec`).
 */
function limitError(limit: Limit, detail: string, production: boolean): GraphQLError {
  const { code, message } = LIMITS[limit];
  return apiError(code, production ? message : `${message} ${detail}`, { request: true });
}

export function useQueryLimits({ limits, production }: { limits: QueryLimits; production: boolean }): Plugin {
  // Armor's own message carries the numbers ("Query depth limit of 10 exceeded, found 12."): shown only
  // outside production, under our code.
  const detailOf = (error: GraphQLError) => error.message.replace(/^Syntax Error: /, '');
  const report = (limit: Limit) => (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(limitError(limit, detailOf(error), production));
  const armor = new EnvelopArmor({
    maxTokens: {
      n: limits.maxTokens,
      propagateOnRejection: false,
      // Counted while parsing: throwing stops the parser at the first token over the limit.
      onReject: [
        (_context, error) => {
          throw limitError('tokens', detailOf(error), production);
        },
      ],
    },
    // Depth of the response: fragments add no level of their own. `__schema` is left to graphql-js' own
    // MaxIntrospectionDepthRule: GraphiQL's introspection query is deeper than any dashboard query.
    maxDepth: {
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [report('depth')],
    },
    maxAliases: { n: limits.maxAliases, propagateOnRejection: false, onReject: [report('aliases')] },
    maxDirectives: { n: limits.maxDirectives, propagateOnRejection: false, onReject: [report('directives')] },
    // Armor's cost reads page sizes from literals only (`first: $n` would pass unpriced): query-cost.ts does it.
    costLimit: { enabled: false },
    // Suggestions depend on who asks: use-introspection-policy.ts.
    blockFieldSuggestion: { enabled: false },
  });

  return {
    onPluginInit({ addPlugin }) {
      // Armor's plugins are envelop plugins, which Yoga runs as they are.
      for (const plugin of armor.protect().plugins) addPlugin(plugin as Plugin);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const cost = operationCost(args.schema, args.document, operation, args.variableValues);
      if (cost > limits.maxCost) {
        setResultAndStopExecution({
          errors: [limitError('cost', `Query cost ${cost} exceeds the limit of ${limits.maxCost}.`, production)],
        });
      }
    },
  };
}
