// Real multi-node Redis for the topology tests: a Redis Cluster (masters with one replica each, made by
// `redis-cli --cluster create`) and a master with a replica watched by one sentinel. Every server is a
// private redis-server on a free port with its files in a temporary folder; `stop()` kills them all.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, untilRedisAnswers } from './redis.js';

const run = promisify(execFile);
const HOST = '127.0.0.1';

export interface RedisServerProcess {
  port: number;
  address: string;
  /** SIGKILL: a crash, no goodbye to the cluster or the sentinels. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same files (a cluster node rejoins as a replica). */
  restart(): Promise<void>;
  alive(): boolean;
}

async function startServer(dir: string, args: string[]): Promise<RedisServerProcess> {
  const port = await freePort();
  let child: ChildProcess;
  let exited: Promise<void>;
  const spawnIt = async () => {
    child = spawn('redis-server', [...args, '--port', String(port), '--bind', HOST, '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await untilRedisAnswers(port, () => `redis-server on ${port} did not answer:\n${output}`);
  };
  await spawnIt();
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    port,
    address: `${HOST}:${port}`,
    alive,
    kill: async () => {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
    restart: async () => {
      if (alive()) throw new Error(`redis-server on ${port} is still running`);
      await spawnIt();
    },
  };
}

/** Polls `check` until it is true (or throws after `timeoutMs` with `what`). */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ask<T>(port: number, command: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: HOST, port, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  client.on('error', () => {});
  try {
    await client.connect();
    return await command(client);
  } finally {
    client.disconnect();
  }
}

export interface RedisClusterProcess {
  /** For REDIS_CLUSTER_NODES: every node as host:port. */
  nodes: string;
  servers: RedisServerProcess[];
  /** The node serving `key`'s slot as master now (asked of a live node). */
  masterOf(key: string): Promise<RedisServerProcess>;
  /** Resolves once every slot is served by a live master and the cluster says ok. */
  healthy(timeoutMs?: number): Promise<void>;
  /** Starts a killed node again and waits until it serves as a replica (so its master can fail over again). */
  rejoin(server: RedisServerProcess): Promise<void>;
  stop(): Promise<void>;
}

/** `masters` masters with one replica each; a failed master is replaced within about 2 s (node timeout 1 s). */
export async function startRedisCluster({ masters = 3 }: { masters?: number } = {}): Promise<RedisClusterProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-redis-cluster-'));
  const servers: RedisServerProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * 2; i++) {
      servers.push(
        await startServer(dir, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${i}.conf`,
          '--cluster-node-timeout',
          '1000',
          // A replica takes over however long it was cut off (tests kill masters at any moment).
          '--cluster-replica-validity-factor',
          '0',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dbfilename',
          `dump-${i}.rdb`,
        ]),
      );
    }
    await run('redis-cli', ['--cluster', 'create', ...servers.map((s) => s.address), '--cluster-replicas', '1', '--cluster-yes']);
  } catch (error) {
    await stop();
    throw error;
  }
  const live = () => servers.filter((s) => s.alive());
  const slots = () =>
    ask(live()[0]!.port, (c) => c.call('CLUSTER', 'SLOTS') as Promise<[number, number, [string, number, string], ...unknown[]][]>);
  const healthy = async (timeoutMs = 30_000) => {
    await until(
      'every slot served by a live master',
      async () => {
        const livePorts = new Set(live().map((s) => s.port));
        const ranges = await slots();
        const covered = ranges.reduce((n, [from, to]) => n + (to - from + 1), 0);
        if (covered !== 16384 || !ranges.every(([, , [, port]]) => livePorts.has(port))) return false;
        const states = await Promise.all(live().map((s) => ask(s.port, (c) => c.call('CLUSTER', 'INFO') as Promise<string>)));
        if (!states.every((info) => info.includes('cluster_state:ok'))) return false;
        // Replicas synced, so that a master's writes reach one (invalidations wait for that acknowledgement).
        const replication = await Promise.all(live().map((s) => ask(s.port, (c) => c.info('replication'))));
        return replication.every((info) => !info.includes('role:slave') || info.includes('master_link_status:up'));
      },
      timeoutMs,
    );
  };
  await healthy();
  return {
    nodes: servers.map((s) => s.address).join(','),
    servers,
    async masterOf(key) {
      const slot = (await ask(live()[0]!.port, (c) => c.call('CLUSTER', 'KEYSLOT', key))) as number;
      const range = (await slots()).find(([from, to]) => slot >= from && slot <= to);
      const server = servers.find((s) => s.port === range?.[2][1]);
      if (!server) throw new Error(`no master serves slot ${slot}`);
      return server;
    },
    healthy,
    async rejoin(server) {
      await server.restart();
      await until('the node to rejoin as a synced replica', async () => {
        const info = await ask(server.port, (c) => c.info('replication'));
        return info.includes('role:slave') && info.includes('master_link_status:up');
      });
      await healthy();
    },
    stop,
  };
}

export interface RedisSentinelProcess {
  /** For REDIS_SENTINELS and REDIS_SENTINEL_NAME. */
  sentinels: string;
  name: string;
  /** The master's port as the sentinel names it now. */
  masterPort(): Promise<number>;
  /** Asks the sentinel to fail over (SENTINEL FAILOVER) and resolves once it names another master. */
  failover(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** A master, a replica of it, and one sentinel (quorum 1) watching them. */
export async function startRedisSentinel(): Promise<RedisSentinelProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-redis-sentinel-'));
  const name = 'wp-master';
  const servers: RedisServerProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  const plain = ['--save', '', '--appendonly', 'no'];
  let sentinel: RedisServerProcess;
  try {
    const master = await startServer(dir, [...plain, '--dbfilename', 'master.rdb']);
    servers.push(master);
    servers.push(await startServer(dir, [...plain, '--dbfilename', 'replica.rdb', '--replicaof', HOST, String(master.port)]));
    // A sentinel rewrites its configuration file: it needs one of its own.
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `sentinel monitor ${name} ${HOST} ${master.port} 1`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    sentinel = await startServer(dir, [conf, '--sentinel']);
    servers.push(sentinel);
    await until('the sentinel to know the replica', async () => {
      const replicas = (await ask(sentinel.port, (c) => c.call('SENTINEL', 'REPLICAS', name))) as string[][];
      return replicas.some((fields) => {
        const flags = fields[fields.indexOf('flags') + 1] ?? '';
        return !flags.includes('down') && !flags.includes('disconnected');
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const masterPort = async () => {
    const [, port] = (await ask(sentinel.port, (c) => c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name))) as [string, string];
    return Number(port);
  };
  return {
    sentinels: sentinel.address,
    name,
    masterPort,
    async failover(timeoutMs = 30_000) {
      const before = await masterPort();
      await ask(sentinel.port, (c) => c.call('SENTINEL', 'FAILOVER', name));
      let after = before;
      await until(
        'the sentinel to name a new master, and that master to accept writes',
        async () => {
          after = await masterPort();
          if (after === before) return false;
          const role = (await ask(after, (c) => c.call('ROLE'))) as [string];
          return role[0] === 'master';
        },
        timeoutMs,
      );
      return after;
    },
    stop,
  };
}
