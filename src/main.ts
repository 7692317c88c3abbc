// Composition root: read config, open the database, build the server, listen, shut down cleanly.
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config.js';
import { developmentSecret } from './infra/auth/development-secret.js';
import { createExportTokens } from './infra/auth/export-token.js';
import { createTokenSigner, createTokenVerifier } from './infra/auth/jwt.js';
import { migrate, pendingMigrations } from './infra/database/migrator.js';
import { openDatabase, type Database } from './infra/database/open-database.js';
import { openReplicas, type ReplicaSet } from './infra/database/replicas.js';
import { databaseAddress, waitForDatabase } from './infra/database/wait-for-database.js';
import { createLogger, type Logger } from './infra/logger.js';
import { createMetrics } from './infra/metrics.js';
import { createRedis, redisConnected } from './infra/redis.js';
import { createServer, GRAPHQL_PATH } from './server/create-server.js';
import { createHttpServer } from './server/http-server.js';
import { isLoopbackAddress } from './server/use-loopback-host.js';
import { findDemoUsers } from './services/find-demo-users.js';
import { createSummaryWorkerFromConfig } from './services/summary-setup.js';
import { startSummarySchedule } from './services/summary-schedule.js';

/** How long a start waits for Redis' first connection before serving without it. */
const REDIS_START_WAIT_MS = 3_000;

async function prepareDatabase(db: Database, config: Config, logger: Logger) {
  if (config.database.mode === 'embedded') {
    const { applied } = await migrate(db.sql, { log: (m) => logger.info(m) });
    if (applied.length) logger.info({ applied }, 'embedded database migrated');
    const [row] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    if (row?.n === 0 && config.database.seedDemoData) {
      // Loaded only here: the seed's data generator (faker) is ~20 MB a production process never needs.
      const { DEMO_DATASET, seedDataset } = await import('./seed/seed-dataset.js');
      logger.info(DEMO_DATASET, 'empty embedded database: seeding demo data');
      const summary = await seedDataset({ sql: db.sql, ...DEMO_DATASET });
      logger.info(summary, 'demo data seeded');
    }
    return;
  }
  // A server that is down or still starting is waited for (with backoff), not a reason to exit.
  const stopWaiting = new AbortController();
  const abort = () => stopWaiting.abort();
  process.once('SIGTERM', abort).once('SIGINT', abort);
  try {
    await waitForDatabase(db.sql, {
      address: databaseAddress(config.database.url),
      log: (message, fields) => logger.warn(fields, message),
      signal: stopWaiting.signal,
    });
  } catch (error) {
    if (stopWaiting.signal.aborted) {
      logger.info('stopped while waiting for PostgreSQL');
      await db.close();
      process.exit(0);
    }
    throw error;
  } finally {
    process.off('SIGTERM', abort).off('SIGINT', abort);
  }
  // On a shared server, migrations are a deliberate step (`npm run db:migrate`), not a side effect of a start.
  const pending = await pendingMigrations(db.sql);
  if (pending.length) {
    throw new Error(`the database has ${pending.length} pending migration(s) (${pending.join(', ')}); run \`npm run db:migrate\``);
  }
}

function setUpAuth(config: Config, logger: Logger) {
  const { jwksUrl, issuer, audience, tokenTtl, maxAgeSeconds, serviceToken } = config.auth;
  let secret = config.auth.jwtSecret;
  if (!secret && !jwksUrl) {
    // Production refuses to start without one (config.ts); elsewhere a development secret is fine.
    secret = developmentSecret(config.database.mode === 'embedded' ? config.database.dir : undefined);
    logger.warn('JWT_SECRET is not set: using a development secret (never do this in production)');
  }
  return {
    // Export links are signed with our own secret (absent in JWKS-only deployments: bearer tokens only).
    exportTokens: secret ? createExportTokens(secret) : undefined,
    verifier: createTokenVerifier({ secret, jwksUrl, issuer, audience, maxAgeSeconds }),
    serviceToken,
    sign: secret && !jwksUrl ? createTokenSigner({ secret, issuer, audience, ttl: tokenTtl }) : undefined,
  };
}

/**
 * Embedded default: print ready-made tokens for demo users (on stdout, never into the structured log)
 * and return GraphiQL's starting headers, so a newcomer's first query just works.
 */
async function developmentTokens(
  db: Database,
  config: Config,
  sign: ((subject: string) => Promise<string>) | undefined,
): Promise<Record<string, string> | undefined> {
  if (config.production || config.database.mode !== 'embedded' || !sign) return undefined;
  const users = await findDemoUsers({ prisma: db.prisma });
  if (!users.length) return undefined;
  const tokens = await Promise.all(users.map(async (u) => ({ ...u, token: await sign(String(u.id)) })));
  console.log('\nDemo tokens (embedded database only; send as "Authorization: Bearer <token>"):');
  for (const t of tokens) console.log(`  ${t.role.padEnd(8)} ${t.email}\n    ${t.token}`);
  // A page served to other machines must not hand them the analyst's token.
  if (!isLoopbackAddress(config.server.host)) {
    console.log(
      `GraphiQL starts without a token: HOST=${config.server.host} serves other machines too. More: npm run token -- --role MANAGER\n`,
    );
    return undefined;
  }
  console.log("GraphiQL starts with the analyst's header filled in. More: npm run token -- --role MANAGER\n");
  return { Authorization: `Bearer ${tokens[0]!.token}` };
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`config: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  const db = await openDatabase(config.database);
  // Statement text only: parameters may hold personal data.
  db.onQuery((e) => {
    if (e.durationMs >= config.log.slowQueryMs) logger.warn({ durationMs: e.durationMs, sql: e.sql }, 'slow SQL statement');
  });
  try {
    await prepareDatabase(db, config, logger);
  } catch (error) {
    await db.close();
    throw error;
  }

  const replicas = await openReplicasFromConfig(db, config, logger);

  const auth = setUpAuth(config, logger);
  const graphiqlHeaders = await developmentTokens(db, config, auth.sign);
  const redis = config.redis ? createRedis(config.redis, logger) : undefined;
  // Not ready before the shared cache is (bounded: Redis down only degrades, it never stops a start).
  if (redis && !(await redisConnected(redis, REDIS_START_WAIT_MS))) {
    logger.warn({ waitedMs: REDIS_START_WAIT_MS }, 'redis not reachable at start: serving uncached until it is');
  }
  const metrics = createMetrics({ processMetrics: true });
  const worker = createSummaryWorkerFromConfig({
    config: config.reports,
    prisma: db.prisma,
    logger,
    onRunFinished: (outcome) => metrics.summaryRuns.inc({ outcome }),
  });
  const server = createServer({
    config,
    db,
    logger,
    auth,
    graphiqlHeaders,
    redis: redis && config.redis ? { client: redis, keyPrefix: config.redis.keyPrefix } : undefined,
    reports: { worker, timeZone: config.reports.timeZone },
    exportTokens: auth.exportTokens,
    metrics,
    replicas,
  });
  const http = createHttpServer(server.yoga, { requestTimeoutMs: config.limits.requestTimeoutMs });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.server.port, config.server.host, resolve);
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  logger.info(
    { port, database: db.mode },
    `weekly-pulse ready at http://${shownHost}:${port}${GRAPHQL_PATH}${config.server.graphiql ? ' (GraphiQL in the browser)' : ''}`,
  );

  let stopping = false;
  let schedule: ReturnType<typeof startSummarySchedule> | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Stop accepting connections, let requests in flight finish until the deadline, then cut stragglers.
    const deadline = Date.now() + config.server.shutdownTimeoutMs;
    const forced = setTimeout(() => {
      http.getConnections((_error, open) => {
        logger.warn({ open }, `closed ${open} connection(s) still open at the shutdown deadline`);
        http.closeAllConnections();
      });
    }, config.server.shutdownTimeoutMs);
    forced.unref();
    http.closeIdleConnections();
    schedule?.stop();
    worker.stop();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    clearTimeout(forced);
    // A run cut short here is resumed by the next instance that starts (its lease expires).
    const left = Math.max(0, deadline - Date.now());
    await Promise.race([worker.idle(), new Promise((resolve) => setTimeout(resolve, left).unref())]);
    await server.dispose();
    redis?.disconnect();
    await replicas?.close();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  // Handlers first: a SIGTERM while recovering must drain too, not kill the process mid-request.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  // Summaries a crashed instance left behind, then the weekly schedule (unless shutdown began meanwhile).
  const resumed = await worker.recover();
  if (resumed.length) logger.info({ weeks: resumed }, 'resuming unfinished weekly summaries');
  if (config.reports.cron && !stopping) {
    schedule = startSummarySchedule({ cron: config.reports.cron, timeZone: config.reports.timeZone, prisma: db.prisma, worker, logger });
  }
}

/** The read replicas (DATABASE_REPLICA_URLS), polled once before serving; none configured: undefined. */
async function openReplicasFromConfig(db: Database, config: Config, logger: Logger): Promise<ReplicaSet | undefined> {
  if (config.database.mode !== 'postgres' || !config.database.replicas.urls.length) return undefined;
  const { replicas: options, poolSize, connectTimeoutMs } = config.database;
  const replicas = await openReplicas(db, { ...options, poolSize, connectTimeoutMs });
  await replicas.ready();
  for (const replica of replicas.replicas) {
    replica.db.onQuery((e) => {
      if (e.durationMs >= config.log.slowQueryMs)
        logger.warn({ durationMs: e.durationMs, sql: e.sql, replica: replica.name }, 'slow SQL statement');
    });
  }
  logger.info({ replicas: replicas.status() }, 'read replicas');
  if (!config.redis) {
    logger.warn(
      'read replicas without Redis: where each viewer last wrote is known to this instance only (read-your-writes holds per instance)',
    );
  }
  return replicas;
}

main().catch((error: unknown) => {
  console.error(`weekly-pulse failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
