// Runs each request in a scope of its own (read-scope.ts), entered before any other step: the caches and
// the read routing keep per-request facts there without being handed them.
import type { Plugin } from 'graphql-yoga';
import { runInReadScope } from '../infra/database/read-scope.js';

export function useRequestScope(): Plugin {
  return {
    instrumentation: {
      request: (_payload, handle) => runInReadScope(handle),
    },
  };
}
