// The environment, parsed once at start into a typed, nested object. The only reader of process.env.
import { Cron } from 'croner';
import { z } from 'zod';
import { DEFAULT_MIN_GROUP_SIZE } from './domain/small-group-suppression.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//;
/** A comma-separated list (blanks ignored) whose every item must pass `item`. */
const commaList = (item: z.ZodString, { min = 0, max }: { min?: number; max: number }) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(min).max(max))
    .optional();
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:,[\]]+):\d{1,5}$/;
const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A per-minute limit: a count, or 0 / off to disable it. */
const perMinute = (fallback: number) =>
  z
    .string()
    .regex(/^(off|\d{1,7})$/, 'must be a number of operations per minute, or 0 / off to disable')
    .transform((v) => (v === 'off' ? 0 : Number(v)))
    .default(fallback);

/** Every variable the server reads (exported for the test that keeps README and .env.example in step). */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  DATABASE_URL: z.string().regex(POSTGRES_URL, 'must be a postgres:// or postgresql:// URL').optional(),
  DATABASE_DIRECT_URL: z.string().regex(POSTGRES_URL, 'must be a postgres:// or postgresql:// URL').optional(),
  DATABASE_REPLICA_URLS: commaList(z.string().regex(POSTGRES_URL, 'each must be a postgres:// or postgresql:// URL'), { max: 16 }),
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  REPLICA_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(100),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  EMBEDDED_DB_DIR: z.string().min(1).default('./.data/pglite'),
  SEED_DEMO_DATA: booleanFromEnv.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: booleanFromEnv.optional(),
  SLOW_QUERY_MS: z.coerce.number().int().min(0).default(200),
  GRAPHIQL: booleanFromEnv.optional(),
  JWT_SECRET: z.string().optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_TTL: z
    .string()
    .regex(/^\d+[smhd]$/, 'must look like 15m, 8h or 7d')
    .default('8h'),
  JWT_MAX_AGE: z
    .string()
    .regex(/^\d+[smhd]$/, 'must look like 15m, 8h or 7d')
    .default('12h'),
  SERVICE_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUST_PROXY: z
    .string()
    .regex(/^\d{1,2}$/, 'must be the number of reverse proxies in front of the server (0: none)')
    .transform(Number)
    .default(0),
  RATE_LIMIT_PER_MINUTE: perMinute(600),
  RATE_LIMIT_ANON_PER_MINUTE: perMinute(60),
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(10),
  MAX_ALIASES: z.coerce.number().int().min(0).max(1_000).default(15),
  MAX_TOKENS: z.coerce.number().int().min(10).max(1_000_000).default(1_000),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1_000).default(20),
  MAX_COST: z.coerce.number().int().min(1).default(50_000),
  BATCHING_LIMIT: z.coerce.number().int().min(0).max(100).default(0),
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(1_000_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  EXPORT_MAX_CONCURRENT: z.coerce.number().int().min(1).max(500).default(2),
  EXPORT_MAX_PER_USER: z.coerce.number().int().min(1).max(500).default(1),
  EXPORT_STALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  CORS_ORIGINS: z
    .string()
    .refine(
      (v) => v === '*' || v.split(',').every((o) => /^https?:\/\/[^/\s]+$/.test(o.trim())),
      'must be * or a comma-separated list of origins such as https://dashboard.example.com',
    )
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** A Redis Cluster instead of one node: some of its nodes as host:port (the client finds the rest). */
  REDIS_CLUSTER_NODES: commaList(z.string().regex(HOST_PORT, 'each must be host:port'), { min: 1, max: 64 }),
  /** Redis behind Sentinel: the sentinels as host:port, and the name of the master they watch. */
  REDIS_SENTINELS: commaList(z.string().regex(HOST_PORT, 'each must be host:port'), { min: 1, max: 64 }),
  REDIS_SENTINEL_NAME: z.string().min(1).optional(),
  /** Credentials for the cluster's or the sentinel-watched nodes (a REDIS_URL carries its own). */
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_TLS: booleanFromEnv.default(false),
  REDIS_KEY_PREFIX: z.string().default('wp:'),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(100),
  RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(1).max(86_400_000).default(30_000),
  RESPONSE_CACHE_AGGREGATE_TTL_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(5_000),
  RESPONSE_CACHE_MAX_MB: z.coerce.number().int().min(1).max(65_536).default(64),
  PERSISTED_OPERATIONS: z.enum(['enforce', 'apq', 'off']).optional(),
  PERSISTED_QUERY_TTL_S: z.coerce.number().int().min(1).max(31_536_000).default(86_400),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  TELEGRAM_CHAT_ID: z.string().min(1).optional(),
  TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
  REPORT_TZ: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
  REPORT_CRON: z
    .string()
    .refine((v) => v === 'off' || isCron(v), 'must be a cron expression or off')
    .default('0 9 * * 1'),
  SUMMARY_LEASE_TTL_MS: z.coerce.number().int().min(1_000).default(60_000),
  ANALYTICS_MIN_GROUP_SIZE: z.coerce.number().int().min(2).max(1_000).default(DEFAULT_MIN_GROUP_SIZE),
});

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isCron(value: string): boolean {
  try {
    new Cron(value, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

const MIN_SECRET_BYTES = 32;

/** Seconds in a duration such as 15m, 8h or 7d (already validated). */
function seconds(duration: string): number {
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[duration.slice(-1) as 's' | 'm' | 'h' | 'd'];
  return Number(duration.slice(0, -1)) * unit;
}

/** Rules that involve several variables at once (checked on the raw values, so all problems show together). */
function crossCheck(env: Record<string, string | undefined>, { serves = true }: { serves?: boolean } = {}): string[] {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  if (env.JWT_SECRET !== undefined && Buffer.byteLength(env.JWT_SECRET) < MIN_SECRET_BYTES) {
    problems.push(`JWT_SECRET: must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const [ttl, maxAge] = [env.JWT_TTL ?? '8h', env.JWT_MAX_AGE ?? '12h'];
  if ([ttl, maxAge].every((d) => /^\d+[smhd]$/.test(d)) && seconds(ttl) > seconds(maxAge)) {
    problems.push('JWT_TTL: must not be longer than JWT_MAX_AGE (tokens this server signs would be refused)');
  }
  if (serves && production && env.JWT_SECRET === undefined && env.JWT_JWKS_URL === undefined) {
    problems.push('JWT_SECRET or JWT_JWKS_URL: one is required when NODE_ENV=production');
  }
  const redisTopologies = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'].filter((name) => env[name]?.trim());
  if (redisTopologies.length > 1) problems.push(`${redisTopologies.join(', ')}: set only one (one Redis, a cluster, or sentinels)`);
  if (env.REDIS_SENTINELS?.trim() && !env.REDIS_SENTINEL_NAME) {
    problems.push('REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the name of the master the sentinels watch)');
  }
  if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS?.trim()) problems.push('REDIS_SENTINEL_NAME: only meaningful with REDIS_SENTINELS');
  if (env.DATABASE_DIRECT_URL && !env.DATABASE_URL) {
    problems.push('DATABASE_DIRECT_URL: goes with DATABASE_URL (the pooler in front of the same database); the embedded database has none');
  }
  if (env.DATABASE_REPLICA_URLS?.trim() && !env.DATABASE_URL) {
    problems.push('DATABASE_REPLICA_URLS: replicas need their primary in DATABASE_URL (the embedded database has none)');
  }
  return problems;
}

export type Config = ReturnType<typeof buildConfig>;

/** host:port (IPv6 in brackets) as ioredis wants a node. */
function node(hostPort: string): { host: string; port: number } {
  const cut = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, cut).replace(/^\[(.*)\]$/, '$1'), port: Number(hostPort.slice(cut + 1)) };
}

/** Where the shared Redis is: one node (REDIS_URL), a cluster, or a master found through sentinels; unset: none. */
function redisConfig(env: z.infer<typeof envSchema>) {
  const common = {
    keyPrefix: env.REDIS_KEY_PREFIX,
    commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    tls: env.REDIS_TLS,
  };
  if (env.REDIS_URL) return { ...common, topology: { kind: 'single' as const, url: env.REDIS_URL } };
  if (env.REDIS_CLUSTER_NODES) return { ...common, topology: { kind: 'cluster' as const, nodes: env.REDIS_CLUSTER_NODES.map(node) } };
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME) {
    return { ...common, topology: { kind: 'sentinel' as const, sentinels: env.REDIS_SENTINELS.map(node), name: env.REDIS_SENTINEL_NAME } };
  }
  return undefined;
}

/**
 * Unset: no other origin, in every mode (the dashboard is served from the API's own origin; a page on
 * another site must not read a developer's data through their browser).
 */
function corsOrigins(value: string | undefined): '*' | string[] {
  if (value === undefined) return [];
  return value === '*' ? '*' : value.split(',').map((o) => o.trim());
}

function buildConfig(env: z.infer<typeof envSchema>) {
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    production,
    server: {
      /** Unset: loopback outside production (a laptop on a café's network serves nobody else), all interfaces in production. */
      host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
      port: env.PORT,
      /** On SIGTERM, how long requests in flight (and a summary run) may take before they are cut off. */
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      graphiql: env.GRAPHIQL ?? true,
      /** Reverse proxies whose X-Forwarded-For is believed (client addresses for rate limits). */
      trustProxy: env.TRUST_PROXY,
      /** Origins browsers may call from: '*' any, [] none (same origin only). */
      corsOrigins: corsOrigins(env.CORS_ORIGINS),
    },
    database: env.DATABASE_URL
      ? {
          mode: 'postgres' as const,
          url: env.DATABASE_URL,
          /** The same database without a transaction pooler (LISTEN, migrations); undefined: DATABASE_URL is direct. */
          directUrl: env.DATABASE_DIRECT_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
          /** Streaming replicas that serve reads (read-routing.ts); empty: the primary serves everything. */
          replicas: {
            urls: env.DATABASE_REPLICA_URLS ?? [],
            /** A replica further behind the primary than this (or unreachable) gets no reads. */
            maxLagMs: env.REPLICA_MAX_LAG_MS,
            /** How often each instance reads the primary's WAL position and each replica's replay position. */
            pollMs: env.REPLICA_POLL_MS,
          },
        }
      : { mode: 'embedded' as const, dir: env.EMBEDDED_DB_DIR, seedDemoData: env.SEED_DEMO_DATA },
    auth: {
      /** Unset outside production means: a development secret (persisted beside the embedded database). */
      jwtSecret: env.JWT_SECRET,
      jwksUrl: env.JWT_JWKS_URL,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      tokenTtl: env.JWT_TTL,
      /** Longest lifetime of a token signed with JWT_SECRET (not of a JWKS provider's). */
      maxAgeSeconds: seconds(env.JWT_MAX_AGE),
      serviceToken: env.SERVICE_TOKEN,
    },
    redis: redisConfig(env),
    responseCache: {
      enabled: env.RESPONSE_CACHE === 'on',
      /** Default TTL: user-facing lists and entities. */
      ttlMs: env.RESPONSE_CACHE_TTL_MS,
      /** TTL of aggregates (dashboard statistics, analytics). */
      aggregateTtlMs: env.RESPONSE_CACHE_AGGREGATE_TTL_MS,
      /** Entries of each in-memory store (no REDIS_URL): responses, and aggregates. */
      maxEntries: env.RESPONSE_CACHE_MAX_ENTRIES,
      /** Bytes each in-memory store may hold (responses measured as JSON). */
      maxBytes: env.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
    },
    persistedOperations: {
      /** enforce: only ANALYST/ADMIN send text; apq: they may also register documents; off: anyone may. */
      policy: env.PERSISTED_OPERATIONS ?? (production ? ('enforce' as const) : ('off' as const)),
      /** Lifetime of an APQ registration. */
      ttlSeconds: env.PERSISTED_QUERY_TTL_S,
    },
    reports: {
      timeZone: env.REPORT_TZ,
      cron: env.REPORT_CRON === 'off' ? null : env.REPORT_CRON,
      leaseTtlMs: env.SUMMARY_LEASE_TTL_MS,
      openai: env.OPENAI_API_KEY
        ? {
            apiKey: env.OPENAI_API_KEY,
            model: env.OPENAI_MODEL,
            baseUrl: env.OPENAI_BASE_URL,
            timeoutMs: env.OPENAI_TIMEOUT_MS,
            maxRetries: env.OPENAI_MAX_RETRIES,
          }
        : undefined,
      telegram:
        env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_CHAT_ID
          ? { botToken: env.TELEGRAM_BOT_TOKEN, chatId: env.TELEGRAM_CHAT_ID, apiUrl: env.TELEGRAM_API_URL }
          : undefined,
    },
    /** What one request may ask for (src/server/use-query-limits.ts, use-http-policy.ts). */
    limits: {
      maxDepth: env.MAX_DEPTH,
      maxAliases: env.MAX_ALIASES,
      maxTokens: env.MAX_TOKENS,
      maxDirectives: env.MAX_DIRECTIVES,
      maxCost: env.MAX_COST,
      /** Operations in one batched (JSON array) request; 0: batching refused. */
      batching: env.BATCHING_LIMIT,
      maxBodyBytes: env.MAX_BODY_BYTES,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    },
    /** CSV exports (src/server/use-export-route.ts): each holds a pool connection while it runs. */
    exports: {
      maxConcurrent: env.EXPORT_MAX_CONCURRENT,
      maxPerUser: env.EXPORT_MAX_PER_USER,
      /** A download whose client has not taken data for this long is cut off (its connection dropped). */
      stallTimeoutMs: env.EXPORT_STALL_TIMEOUT_MS,
    },
    /** GraphQL operations per minute (0: unlimited); users by id, everyone else by address. */
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, anonymousPerMinute: env.RATE_LIMIT_ANON_PER_MINUTE },
    /** Analytics figures of fewer reports than this are suppressed, for every viewer (decision record 0013). */
    analytics: { minGroupSize: env.ANALYTICS_MIN_GROUP_SIZE },
    /** Bearer token of GET /metrics; unset: open outside production, not served in production. */
    metrics: { token: env.METRICS_TOKEN },
    log: {
      level: env.LOG_LEVEL,
      pretty: env.LOG_PRETTY ?? (!production && process.stdout.isTTY === true),
      slowQueryMs: env.SLOW_QUERY_MS,
    },
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws ConfigError listing every problem (never the values, which may be secrets). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parse(env, { serves: true });
}

/**
 * The configuration of a process that only migrates (`npm run db:migrate`, the Kubernetes migration Job):
 * the same variables and rules, less what only a serving process needs (a signing key in production), so
 * the migration runs in production mode without holding the API's secrets.
 */
export function loadMigrationConfig(env: NodeJS.ProcessEnv = process.env): Config['database'] {
  return parse(env, { serves: false }).database;
}

function parse(env: NodeJS.ProcessEnv, { serves }: { serves: boolean }): Config {
  // Empty strings count as unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...crossCheck(present, { serves }),
  ];
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  return buildConfig(parsed.data);
}
