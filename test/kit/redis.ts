// Real Redis for cache tests: a client on REDIS_URL with a key prefix of its own per test file, and a
// throwaway redis-server on a free port for tests that stop and restart Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createRedis } from '../../src/infra/redis.js';

/** REDIS_URL, required in CI (a Redis suite must never be skipped there). */
export function redisUrl(): string | undefined {
  const url = process.env.REDIS_URL;
  if (!url && process.env.CI === 'true') throw new Error('CI=true but REDIS_URL is not set: refusing to skip the Redis suite');
  return url;
}

export const quietLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A client configured like production's (fast failure, background reconnect). */
export function testRedisClient(url: string, commandTimeoutMs = 100): Redis {
  return createRedis({ topology: { kind: 'single', url }, commandTimeoutMs }, quietLogger) as Redis;
}

/** The master's replication id, which the Redis response store keeps with each response (decision 0021). */
export async function replicationId(client: Redis): Promise<string> {
  const id = /master_replid:(\w+)/.exec(await client.info('replication'))?.[1];
  if (!id) throw new Error('no master_replid in INFO replication');
  return id;
}

export function uniquePrefix(): string {
  return `wp-test-${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under a prefix (tests only: SCAN is fine here, never on the request path). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url);
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  admin.disconnect();
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP port that accepts connections and never answers: a hung Redis. */
export async function blackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Resolves once a redis-server on `port` answers PING (about 10 s at most; then throws `why()`). */
export async function untilRedisAnswers(port: number, why: () => string): Promise<void> {
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {}); // refused until the server listens
  try {
    for (let i = 0; i < 200; i++) {
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(why());
  } finally {
    probe.disconnect();
  }
}

/** A private redis-server that a test may stop and start again on the same port. */
export async function privateRedisServer(): Promise<{ url: string; start: () => Promise<void>; stop: () => Promise<void> }> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await untilRedisAnswers(port, () => 'private redis-server did not start');
  };
  const stop = async () => {
    if (!child) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    child = undefined;
  };
  await start();
  return { url, start, stop };
}
