// Where the current request reads from, for the code that needs to know without being handed it: the
// caches, which must not store what a lagging replica answered after a write's invalidation
// (replica-guard.ts), nor an answer computed before an invalidation that ran while it was computed (the
// stores' miss tokens), and the replica clients, which report a failed read so the request runs again on
// the primary (read-routing.ts). One mutable scope per request, entered before anything else runs
// (use-request-scope.ts).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ReadScope {
  /** The replica this request's reads went to, and the WAL position it had replayed when chosen. */
  replica?: { name: string; replayed: bigint };
  /** A statement failed on the replica: the request's reads run again on the primary. */
  replicaFailed?: boolean;
  /**
   * What a cache store said when this request missed an entry (by the entry's id): its invalidation
   * generation then. Storing the answer later is refused if an invalidation ran in between.
   */
  missTokens?: Map<string, string>;
}

const scopes = new AsyncLocalStorage<ReadScope>();

export function runInReadScope<T>(fn: () => T): T {
  return scopes.run({}, fn);
}

export function currentReadScope(): ReadScope | undefined {
  return scopes.getStore();
}

/** Remembers a store's token for a miss of `id` in this request (nothing outside a request). */
export function rememberMiss(id: string, token: string): void {
  const scope = scopes.getStore();
  if (!scope) return;
  scope.missTokens ??= new Map();
  scope.missTokens.set(id, token);
}

/** The token this request's miss of `id` got, if it had one. */
export function missToken(id: string): string | undefined {
  return scopes.getStore()?.missTokens?.get(id);
}
