// Streaming replicas for reads. Each instance polls the primary's WAL position (pg_current_wal_insert_lsn) and
// each replica's replay position (pg_last_wal_replay_lsn) every REPLICA_POLL_MS, so choosing a replica
// for a request costs no round trip. A replica's lag is the time since the primary first stood past the
// position the replica has replayed (from the primary's recent positions): an idle primary lags nobody,
// which `now() - pg_last_xact_replay_timestamp()` would get wrong. A replica that is unreachable, promoted,
// or further behind than REPLICA_MAX_LAG_MS gets no reads until a poll finds it well again.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { type Database, openDatabase, type QueryEvent } from './open-database.js';
import { currentReadScope } from './read-scope.js';
import { isDatabaseUnavailable, someLayer } from './unavailable.js';
import { parseLsn } from './wal-position.js';

export interface ReplicaOptions {
  urls: string[];
  maxLagMs: number;
  pollMs: number;
  poolSize: number;
  connectTimeoutMs: number;
}

export interface Replica {
  /** host:port of the replica (the URL without credentials): metrics, /readyz, logs. */
  name: string;
  /** Reads only. A failed statement suspends the replica and marks the request's read scope. */
  prisma: PrismaClient;
  db: Database;
}

export type ReplicaState = 'up' | 'lagging' | 'down';

export interface ReplicaStatus {
  name: string;
  state: ReplicaState;
  /** Milliseconds behind the primary at the last poll; null when it could not be read. */
  lagMs: number | null;
}

export interface ReplicaSet {
  readonly replicas: readonly Replica[];
  /** Some replica may be read now (no side effect: the round robin does not move). */
  anyUsable(): boolean;
  /** A replica that has replayed `atLeast` (when given) and is within the lag bound; none: read the primary. */
  choose(atLeast: bigint | null): { replica: Replica; replayed: bigint } | undefined;
  /** The primary's WAL position now: everything committed before this call is at or below it. */
  primaryPosition(): Promise<bigint>;
  /** A read on it failed: no reads until a poll finds it well. */
  suspend(replica: Replica): void;
  status(): ReplicaStatus[];
  /** Waits for the first poll of every replica (a start serves reads from replicas at once). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

interface Tracked {
  replica: Replica;
  replayed: bigint | null;
  lagMs: number | null;
  /** The last poll that read it (ms, performance.now()); a replica not read lately is down. */
  seenAt: number;
  suspended: boolean;
}

const REPLICA_CONNECT_TIMEOUT_MS = 2_000;

/** The URL's host and port: never its credentials. */
export function replicaName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}

export async function openReplicas(primary: Database, options: ReplicaOptions): Promise<ReplicaSet> {
  const tracked: Tracked[] = [];
  for (const url of options.urls) {
    // A replica that takes long to connect is better skipped than waited for: the primary can answer.
    const connectTimeoutMs = Math.min(options.connectTimeoutMs, REPLICA_CONNECT_TIMEOUT_MS);
    const db = await openDatabase({ mode: 'postgres', url, poolSize: options.poolSize, connectTimeoutMs });
    const replica: Replica = { name: replicaName(url), db, prisma: db.prisma };
    replica.prisma = reportingFailures(db.prisma, () => suspend(replica));
    tracked.push({ replica, replayed: null, lagMs: null, seenAt: Number.NEGATIVE_INFINITY, suspended: false });
  }
  // The primary's recent positions, oldest first, long enough to measure any lag up to the bound.
  const history: { lsn: bigint; at: number }[] = [];
  const keepMs = options.maxLagMs + 10 * options.pollMs + 1_000;
  const staleAfterMs = Math.max(3 * options.pollMs, 1_000);
  let closed = false;
  /** The history has dropped old positions: it now spans longer than the lag bound. */
  let pruned = false;
  let rounds: Promise<void> | undefined;
  const firstRound = poll();

  function suspend(replica: Replica) {
    const entry = tracked.find((t) => t.replica === replica);
    if (entry) entry.suspended = true;
  }

  // The insert position, not pg_current_wal_lsn() (the write position): with synchronous_commit=off a
  // commit's record may still sit in the WAL buffers, behind the write position, when its transaction is
  // already visible. The insert position is past every record inserted so far, committed ones included.
  async function primaryPosition(): Promise<bigint> {
    const [row] = await primary.sql.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return parseLsn(row?.lsn)!;
  }

  function lagOf(replayed: bigint, now: number): number | null {
    const latest = history.at(-1);
    if (!latest) return null;
    if (replayed >= latest.lsn) return 0;
    const ahead = history.find((sample) => sample.lsn > replayed)!;
    // Behind the oldest position known: the primary passed it before we looked, so the lag is at least
    // this and maybe far more. Unknown until the history is longer than the bound (a fresh start).
    if (ahead === history[0] && now - ahead.at <= options.maxLagMs && !pruned) return null;
    return Math.max(0, now - ahead.at);
  }

  async function poll(): Promise<void> {
    const started = performance.now();
    // Every server at once: a slow one (an exhausted primary pool, a hanging replica) delays no other.
    const [position] = await Promise.allSettled([primaryPosition(), ...tracked.map(readReplica)]);
    if (position.status === 'fulfilled') {
      history.push({ lsn: position.value, at: started });
      while (history.length > 1 && history[0]!.at < started - keepMs) {
        history.shift();
        pruned = true;
      }
    }
    const now = performance.now();
    for (const entry of tracked) entry.lagMs = entry.replayed === null || entry.suspended ? null : lagOf(entry.replayed, now);
  }

  async function readReplica(entry: Tracked): Promise<void> {
    try {
      const [row] = await entry.replica.db.sql.query<{ recovering: boolean; lsn: string | null }>(
        'SELECT pg_is_in_recovery() AS recovering, pg_last_wal_replay_lsn()::text AS lsn',
      );
      // A promoted replica (or a primary listed by mistake) has its own timeline: never read it.
      const replayed = row?.recovering ? parseLsn(row.lsn) : null;
      entry.replayed = replayed;
      entry.seenAt = performance.now();
      entry.suspended = replayed === null;
    } catch {
      entry.suspended = true;
    }
  }

  const timer = setInterval(() => {
    // One round at a time: a slow server delays the next round rather than piling them up.
    if (!closed && !rounds) rounds = poll().finally(() => (rounds = undefined));
  }, options.pollMs);
  timer.unref();

  const usable = (entry: Tracked, now: number) =>
    !entry.suspended &&
    entry.replayed !== null &&
    entry.lagMs !== null &&
    entry.lagMs <= options.maxLagMs &&
    now - entry.seenAt <= staleAfterMs;

  let next = 0;
  return {
    replicas: tracked.map((t) => t.replica),
    anyUsable() {
      const now = performance.now();
      return tracked.some((entry) => usable(entry, now));
    },
    choose(atLeast) {
      const now = performance.now();
      for (let i = 0; i < tracked.length; i++) {
        const entry = tracked[(next + i) % tracked.length]!;
        if (usable(entry, now) && (atLeast === null || entry.replayed! >= atLeast)) {
          next = (next + i + 1) % tracked.length;
          return { replica: entry.replica, replayed: entry.replayed! };
        }
      }
      return undefined;
    },
    primaryPosition,
    suspend,
    status() {
      const now = performance.now();
      return tracked.map((entry) => ({
        name: entry.replica.name,
        state: entry.suspended || now - entry.seenAt > staleAfterMs ? 'down' : usable(entry, now) ? 'up' : 'lagging',
        lagMs: entry.lagMs,
      }));
    },
    ready: () => firstRound,
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.allSettled([firstRound, rounds]);
      await Promise.all(tracked.map((t) => t.replica.db.close()));
    },
  };
}

/**
 * The replica's client, reporting any failed statement: the replica is suspended and the request's read
 * scope marked, so the request's reads run again on the primary (read-routing.ts) instead of failing.
 */
function reportingFailures(prisma: PrismaClient, onFailure: () => void): PrismaClient {
  return prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          // The server failed, not the query: a missing row (P2025) or bad input is the same on the primary.
          if (isReplicaFailure(error)) {
            const scope = currentReadScope();
            if (scope) scope.replicaFailed = true;
            onFailure();
          }
          throw error;
        }
      },
    },
  }) as unknown as PrismaClient;
}

/** SQLSTATEs a replica answers for itself: a recovery conflict cancelled the statement (40001, 40P01), or it ran out of time (57014). */
const REPLICA_SQLSTATES = new Set(['40001', '40P01', '57014']);

/** The replica could not answer (down, restarting, a recovery conflict, a timeout): worth asking the primary. */
function isReplicaFailure(error: unknown): boolean {
  return (
    isDatabaseUnavailable(error) ||
    someLayer(error, (e) => [e.code, e.originalCode, e.meta?.code].some((code) => typeof code === 'string' && REPLICA_SQLSTATES.has(code)))
  );
}

/** Every statement run on the primary or any replica, for the request stats and the slow-query log. */
export function onEveryQuery(primary: Database, replicas: ReplicaSet | undefined, listener: (event: QueryEvent) => void): () => void {
  const stops = [primary.onQuery(listener), ...(replicas?.replicas ?? []).map((r) => r.db.onQuery(listener))];
  return () => {
    for (const stop of stops) stop();
  };
}
