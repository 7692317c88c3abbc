// The shared Redis client: one node, a Redis Cluster, or a master found through Sentinel (config.ts).
// Tuned so that a sick Redis costs a request at most one short timeout: commands fail fast while
// disconnected (no offline queue, no retries) and time out after `commandTimeoutMs`; the client keeps
// reconnecting in the background (and, on a cluster or behind sentinels, follows a failover by itself).
//
// Every key this project writes is a single key per command, or keys of one hash slot by design (the
// response cache's groups: redis-response-store.ts), and nothing scans the keyspace: the same commands
// run on a single node and on a cluster.
import { Cluster, Redis, type RedisOptions as IoRedisOptions } from 'ioredis';
import type { Logger } from './logger.js';

/** A client on any of the three topologies; the commands we use exist on both classes. */
export type RedisClient = Redis | Cluster;

export interface RedisNode {
  host: string;
  port: number;
}

export type RedisTopology =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: RedisNode[] }
  | { kind: 'sentinel'; sentinels: RedisNode[]; name: string };

export interface RedisOptions {
  topology: RedisTopology;
  commandTimeoutMs: number;
  /** For cluster and sentinel-watched nodes (a URL carries its own). */
  username?: string;
  password?: string;
  tls?: boolean;
}

const RECONNECT = (attempt: number) => Math.min(100 * attempt, 2_000);

export function createRedis(options: RedisOptions, logger: Logger): RedisClient {
  const redis = connect(options);
  // One warning per outage, not one per failed command.
  let healthy = true;
  redis.on('error', (error: Error) => {
    if (healthy) logger.warn({ err: { message: error.message } }, 'redis unavailable: cache bypassed until it returns');
    healthy = false;
  });
  redis.on('ready', () => {
    if (!healthy) logger.info('redis is back: cache resumes');
    healthy = true;
  });
  return redis;
}

function connect({ topology, commandTimeoutMs, username, password, tls }: RedisOptions): RedisClient {
  const node: IoRedisOptions = {
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: RECONNECT,
    lazyConnect: false,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(tls ? { tls: {} } : {}),
  };
  switch (topology.kind) {
    case 'single':
      return new Redis(topology.url, node);
    case 'sentinel':
      return new Redis({
        ...node,
        sentinels: topology.sentinels,
        name: topology.name,
        role: 'master',
        // Sentinels usually share the nodes' credentials; TLS to them when the nodes use it.
        ...(password ? { sentinelPassword: password } : {}),
        ...(username ? { sentinelUsername: username } : {}),
        ...(tls ? { enableTLSForSentinelMode: true } : {}),
        sentinelRetryStrategy: RECONNECT,
        // Subscribes to +switch-master, so a failover moves the connection at once, not at the next error.
        failoverDetector: true,
      });
    case 'cluster':
      return new Cluster(topology.nodes, {
        redisOptions: node,
        enableOfflineQueue: false,
        clusterRetryStrategy: RECONNECT,
        // A command that meets a failover or a moving slot is retried once the map is refreshed, within the
        // command's own timeout; past that it is a cache miss.
        retryDelayOnFailover: 50,
        retryDelayOnClusterDown: 50,
        retryDelayOnTryAgain: 50,
        maxRedirections: 8,
        slotsRefreshTimeout: 1_000,
        slotsRefreshInterval: 5_000,
        // Reads go to masters: a replica may not have replayed an invalidation yet.
        scaleReads: 'master',
        ...(tls ? { dnsLookup: (address, done) => done(null, address) } : {}),
      });
  }
}

/**
 * Resolves true once the client is connected, or false after `timeoutMs`: a process that starts serving
 * before its first connection would answer its first requests uncached (and say nothing is shared).
 * Redis down is no reason not to start (caches are bypassed), so this never throws.
 */
export function redisConnected(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (connected: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(connected);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}
