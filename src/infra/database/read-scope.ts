// Where the current request reads from, for the code that needs to know without being handed it: the
// caches, which must not store what a lagging replica answered after a write's invalidation
// (replica-guard.ts), and the replica clients, which report a failed read so the request runs again on the
// primary (read-routing.ts). One mutable scope per request, entered before anything else runs.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ReadScope {
  /** The replica this request's reads went to, and the WAL position it had replayed when chosen. */
  replica?: { name: string; replayed: bigint };
  /** A statement failed on the replica: the request's reads run again on the primary. */
  replicaFailed?: boolean;
}

const scopes = new AsyncLocalStorage<ReadScope>();

export function runInReadScope<T>(fn: () => T): T {
  return scopes.run({}, fn);
}

export function currentReadScope(): ReadScope | undefined {
  return scopes.getStore();
}
