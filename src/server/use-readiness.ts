// `GET /readyz` for load balancers: PostgreSQL and Redis checked separately. PostgreSQL down means not
// ready (503); Redis down only degrades (caches bypassed, rate limits per instance), so it stays 200.
import type { Plugin } from 'graphql-yoga';
import type { RedisClient } from '../infra/redis.js';
import type { Database } from '../infra/database/open-database.js';
import type { ReplicaSet, ReplicaStatus } from '../infra/database/replicas.js';

const CHECK_TIMEOUT_MS = 2_000;
export const READINESS_PATH = '/readyz';

export type Readiness = {
  status: 'ready' | 'degraded' | 'unready';
  postgres: 'up' | 'down';
  redis: 'up' | 'down' | 'disabled';
  /** Read replicas (none configured: absent). One down or lagging only degrades: the primary serves its reads. */
  replicas?: ReplicaStatus[];
};

/** Resolves true when `check` succeeds within the timeout; never throws (the reason is not the probe's business). */
async function answers(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([
      check().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function useReadiness({ db, redis, replicas }: { db: Database; redis?: RedisClient; replicas?: ReplicaSet }): Plugin {
  // One probe query at a time: while the pool is exhausted, a probe that gave up after CHECK_TIMEOUT_MS
  // still waits for a connection (until DATABASE_CONNECT_TIMEOUT_MS); later probes share that wait
  // instead of queueing more waiters behind it.
  let probing: Promise<unknown> | undefined;
  const probePostgres = () => (probing ??= db.sql.query('SELECT 1').finally(() => (probing = undefined)));
  // Matched on the path alone: Yoga's useReadinessCheck also tests a URLPattern against every request's
  // URL, which cost 5% of the CPU of a request it does not answer (issue 16's profile).
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== READINESS_PATH) return;
      return (async () => {
        const [postgres, redisUp] = await Promise.all([answers(probePostgres), redis ? answers(() => redis.ping()) : undefined]);
        const replicaStatus = replicas?.status();
        const replicasDegraded = replicaStatus?.some((r) => r.state !== 'up') ?? false;
        const body: Readiness = {
          status: !postgres ? 'unready' : redisUp === false || replicasDegraded ? 'degraded' : 'ready',
          postgres: postgres ? 'up' : 'down',
          redis: redisUp === undefined ? 'disabled' : redisUp ? 'up' : 'down',
          ...(replicaStatus ? { replicas: replicaStatus } : {}),
        };
        endResponse(fetchAPI.Response.json(body, { status: postgres ? 200 : 503, headers: { 'cache-control': 'no-store' } }));
      })();
    },
  };
}
