// Rate limiting per viewer: signed-in users by user id, everyone else (no or a refused token) by client
// address; the scheduler's service token is exempt. It counts GraphQL operations (each operation of a
// batch), per minute. Counters live in Redis, shared by every instance, or in memory without Redis; when
// Redis fails each instance falls back to counters of its own (degraded, never down). Over the limit:
// HTTP 429 with Retry-After and RATE_LIMITED, before anything runs.
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RedisClient } from '../infra/redis.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import { apiError } from '../schema/errors.js';
import { viewerOf, type Identities } from './identity.js';
import { clientAddress } from './client-address.js';

const WINDOW_SECONDS = 60;

export interface RateLimitOptions {
  config: Config['rateLimit'];
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed (0: none). */
  trustProxy: number;
  redis?: { client: RedisClient; keyPrefix: string };
  identities: Identities;
  logger: Logger;
}

function createLimiter(points: number, redis: RateLimitOptions['redis']): RateLimiterAbstract | undefined {
  if (points <= 0) return undefined;
  const memory = new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: 'rl' });
  if (!redis) return memory;
  return new RateLimiterRedis({
    storeClient: redis.client,
    keyPrefix: `${redis.keyPrefix}rl`,
    points,
    duration: WINDOW_SECONDS,
    // Not connected: count in memory at once instead of waiting for a command to fail.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}

function rateLimited(limit: number, msBeforeNext: number): GraphQLError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return apiError('RATE_LIMITED', `Too many requests: at most ${limit} operations per minute. Try again in ${seconds} s.`, {
    request: { headers: { 'Retry-After': String(seconds) } },
  });
}

export function useRateLimit({ config, trustProxy, redis, identities, logger }: RateLimitOptions): Plugin {
  const buckets = {
    user: { limiter: createLimiter(config.perMinute, redis), limit: config.perMinute },
    anonymous: { limiter: createLimiter(config.anonymousPerMinute, redis), limit: config.anonymousPerMinute },
  };
  if (!buckets.user.limiter && !buckets.anonymous.limiter) return {};

  return {
    onRequestParse({ request, serverContext }) {
      return {
        async onRequestParseDone({ requestParserResult }) {
          const operations = Array.isArray(requestParserResult) ? requestParserResult.length : 1;
          const identity = await identities.of(request);
          // The user lookup failed because the database is down: the request fails with 503 anyway, and
          // must not be counted against its address as if it carried no token.
          if (identity.outcome === 'unavailable') return;
          const viewer = viewerOf(identity);
          if (viewer?.kind === 'service') return;
          const [bucket, key] = viewer
            ? [buckets.user, `user:${viewer.id}`]
            : [buckets.anonymous, `ip:${clientAddress(request, serverContext, trustProxy)}`];
          if (!bucket.limiter || operations === 0) return;
          try {
            await bucket.limiter.consume(key, operations);
          } catch (outcome) {
            if (outcome instanceof RateLimiterRes) throw rateLimited(bucket.limit, outcome.msBeforeNext);
            // Both stores failed: let the request through rather than refuse everyone.
            logger.warn({ err: outcome }, 'rate limiter unavailable: request not counted');
          }
        },
      };
    },
  };
}
