// Executes the analytics queries with graphql-jit: their answers are large trees of plain figures
// (dashboardStats is ~60 groups of ~20 fields) where graphql-js' generic executor and its garbage were
// half of the CPU (issue 16's profile; 1.85x the throughput compiled). Only operations whose every root
// field is listed here are compiled: graphql-jit does not apply input-field defaults to variables and its
// resolve info does not drive Pothos' Prisma selections, so the rest of the schema stays on Yoga's executor.
// These fields read the database once, before any of their fields resolve, so there is no later statement
// for a request timeout to stop (use-http-policy.ts); their inputs have no defaults.
import { useGraphQlJit } from '@envelop/graphql-jit';
import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { rootFields } from './root-fields.js';

export const COMPILED_ROOT_FIELDS: ReadonlySet<string> = new Set(['Query.dashboardStats', 'Query.countryAnalytics']);

/** Whether an operation is compiled: a query whose every root field is in COMPILED_ROOT_FIELDS. */
export function compiledOperation(document: DocumentNode, operationName?: string | null): boolean {
  const roots = rootFields(document, operationName);
  return roots.length > 0 && roots.every((field) => COMPILED_ROOT_FIELDS.has(field));
}

export function useCompiledAnalytics(): Plugin {
  const decided = new WeakMap<DocumentNode, Map<string, boolean>>();
  const compiles = (document: DocumentNode, operationName?: string | null) => {
    let byName = decided.get(document);
    if (!byName) {
      byName = new Map();
      decided.set(document, byName);
    }
    const key = operationName ?? '';
    let answer = byName.get(key);
    if (answer === undefined) {
      answer = compiledOperation(document, operationName);
      byName.set(key, answer);
    }
    return answer;
  };
  return useGraphQlJit({}, { enableIf: (args) => compiles(args.document, args.operationName) }) as Plugin;
}
