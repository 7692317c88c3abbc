// The shared Redis client. Tuned so that a sick Redis costs a request at most one short timeout:
// commands fail fast while disconnected (no offline queue, no retries) and time out after
// `commandTimeoutMs`; the client keeps reconnecting in the background and recovers by itself.
import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

export interface RedisOptions {
  url: string;
  commandTimeoutMs: number;
}

export function createRedis({ url, commandTimeoutMs }: RedisOptions, logger: Logger): Redis {
  const redis = new Redis(url, {
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
    lazyConnect: false,
  });
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

/**
 * Resolves true once the client is connected, or false after `timeoutMs`: a process that starts serving
 * before its first connection would answer its first requests uncached (and say nothing is shared).
 * Redis down is no reason not to start (caches are bypassed), so this never throws.
 */
export function redisConnected(redis: Redis, timeoutMs: number): Promise<boolean> {
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
