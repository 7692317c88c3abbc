// This instance's cache of viewer lookups (user id -> identity), so a request costs no `users` round trip,
// without loosening "a demotion or deactivation applies at once": the `users_viewer_version` trigger
// bumps viewer_version and NOTIFYs on every write that may change a viewer, whoever writes (this API,
// psql, an HR import); every instance flushes on the push, polls the version to catch a lost push, and
// reads the database whenever its watch is stale. A change committed at T applies everywhere by
// T + MAX_STALE_MS (docs/decisions/0016-viewer-cache.md).
import { LRUCache } from 'lru-cache';
import type { Database } from '../infra/database/open-database.js';
import { type VersionWatch, watchVersion } from '../infra/database/version-watch.js';

export const VIEWER_CHANNEL = 'viewer_changed';
/** How often each instance reads viewer_version (one indexed single-row read on its listening session). */
export const POLL_MS = 250;
/** How old the last confirmed poll may be for the cache to be read: the bound when a push is lost. */
export const MAX_STALE_MS = 750;

export interface ViewerCacheOptions<T> {
  db: Pick<Database, 'listen'>;
  /** Which loaded values may be kept (an outage's error may not). */
  keep: (value: T) => boolean;
  onLookup?: (hit: boolean) => void;
  max?: number;
  pollMs?: number;
  maxStaleMs?: number;
}

export interface ViewerCache<T> {
  /** The cached value for user `id`, or `load()`'s, kept only if no change was seen while it ran. */
  get(id: number, load: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createViewerCache<T extends object>({
  db,
  keep,
  onLookup,
  max = 10_000,
  pollMs = POLL_MS,
  maxStaleMs = MAX_STALE_MS,
}: ViewerCacheOptions<T>): ViewerCache<T> {
  const entries = new LRUCache<number, T>({ max });
  // Concurrent requests of one viewer share one lookup (per generation: never one that began before a change).
  const loading = new Map<number, { generation: number; value: Promise<T> }>();
  // Started by the first lookup: a server nobody signs in to holds no listening session.
  let watching: VersionWatch | undefined;
  const start = () =>
    watchVersion({
      db,
      channel: VIEWER_CHANNEL,
      versionSql: 'SELECT version FROM viewer_version WHERE id = 1',
      pollMs,
      maxStaleMs,
      onChange: () => {
        entries.clear();
        loading.clear();
      },
    });

  return {
    get(id, load) {
      watching ??= start();
      const watch = watching;
      const fresh = watch.fresh();
      const cached = fresh ? entries.get(id) : undefined;
      onLookup?.(cached !== undefined);
      if (cached !== undefined) return Promise.resolve(cached);
      const generation = watch.generation;
      const shared = loading.get(id);
      if (fresh && shared?.generation === generation) return shared.value;
      const settled = () => {
        if (loading.get(id)?.value === value) loading.delete(id);
      };
      const value = load().then(
        (loaded) => {
          settled();
          if (keep(loaded) && watch.generation === generation) entries.set(id, loaded);
          return loaded;
        },
        (error: unknown) => {
          settled();
          throw error;
        },
      );
      if (fresh) loading.set(id, { generation, value });
      return value;
    },
    close: async () => {
      await watching?.close();
    },
  };
}
