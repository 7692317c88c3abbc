// Follows a version number that PostgreSQL itself bumps (a trigger that also NOTIFYs) so a cache of what
// it versions can trust its entries: a push flushes at once; a poll every `pollMs` catches a push that was
// lost (listener reconnecting, network blip); `fresh()` turns false when no poll has succeeded for
// `maxStaleMs`, and the cache must then not be read. A write that commits at T is therefore seen by
// every instance by T + maxStaleMs at the latest, whatever happens to the push.
import type { Database } from './open-database.js';

export interface VersionWatchOptions {
  db: Pick<Database, 'listen'>;
  channel: string;
  /** One row whose `version` column the trigger bumps; visible only once the bumping write commits. */
  versionSql: string;
  pollMs: number;
  maxStaleMs: number;
  /** Called on every change seen (push or poll); may be called more than once for one change. */
  onChange: () => void;
  now?: () => number;
}

export interface VersionWatch {
  /** Grows on every change seen: a loader compares it before and after reading, and stores only if unchanged. */
  readonly generation: number;
  /** Whether a poll started within `maxStaleMs` succeeded (so any change committed before it has been seen). */
  fresh(): boolean;
  close(): Promise<void>;
}

export function watchVersion({
  db,
  channel,
  versionSql,
  pollMs,
  maxStaleMs,
  onChange,
  now = performance.now.bind(performance),
}: VersionWatchOptions): VersionWatch {
  let generation = 0;
  let seen: string | undefined;
  let confirmedAt = Number.NEGATIVE_INFINITY;
  let polling = false;
  let closed = false;
  const changed = () => {
    generation++;
    onChange();
  };
  const listener = db.listen(channel, changed);

  async function poll() {
    if (polling || closed) return;
    polling = true;
    const startedAt = now();
    try {
      const [row] = await listener.query<{ version: unknown }>(versionSql);
      const version = String(row?.version);
      if (seen !== undefined && version !== seen) changed();
      seen = version;
      // Every change committed before this poll started is now flushed; a session that failed in between
      // (pushes lost) is covered by the comparison with the last version seen.
      confirmedAt = startedAt;
    } catch {
      // Not confirmed: once maxStaleMs passes, fresh() is false and readers go to the database.
    } finally {
      polling = false;
    }
  }

  const timer = setInterval(() => void poll(), pollMs);
  timer.unref();
  void poll();

  return {
    get generation() {
      return generation;
    },
    fresh: () => now() - confirmedAt <= maxStaleMs,
    async close() {
      closed = true;
      clearInterval(timer);
      await listener.close();
    },
  };
}
