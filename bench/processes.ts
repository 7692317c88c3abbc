// The contenders as child processes: how each one starts (weekly-pulse as deployed: built, then its
// start:prod command; the others from bench/contenders), pinned to the server core, reached on a free port
// once its readiness probe answers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export type ContenderId =
  | 'wp'
  | 'wp-memory'
  | 'wp-redis'
  | 'wp-primary'
  | 'wp-replica'
  | 'naive'
  | 'rest-old'
  | 'postgraphile'
  | 'bare-yoga'
  | 'limit';

export interface Environment {
  databaseUrl: string;
  redisUrl: string;
  /** Redis keys this run writes start with it (the Redis is shared: nothing else is touched). */
  redisPrefix: string;
  jwtSecret: string;
  /** Scenario (i): a private primary holding the dataset and a streaming replica of it (replication.ts). */
  replication?: { primaryUrl: string; replicaUrl: string };
}

interface ContenderSpec {
  label: string;
  /** The script bench/contenders runs, or weekly-pulse itself (started as the deployment starts it). */
  entry: string | 'weekly-pulse';
  env: (e: Environment) => Record<string, string>;
  /** A request that succeeds only once the process serves (and reaches the database). */
  probe: { path: string; method?: 'GET' | 'POST'; body?: string };
}

// weekly-pulse as deployed: production mode, its own logs quiet, no cron, no rate limit (the load generator
// is one client sending thousands of requests a second), GraphiQL off.
const weeklyPulse = (e: Environment, extra: Record<string, string>) => ({
  NODE_ENV: 'production',
  DATABASE_URL: e.databaseUrl,
  JWT_SECRET: e.jwtSecret,
  REPORT_CRON: 'off',
  LOG_LEVEL: 'warn',
  LOG_PRETTY: 'false',
  GRAPHIQL: 'false',
  RATE_LIMIT_PER_MINUTE: 'off',
  RATE_LIMIT_ANON_PER_MINUTE: 'off',
  ...extra,
});

// Cache variants measure hits: entries outlive the run (the shipped TTLs would add a miss every 30 s).
const HOUR_MS = '3600000';

const replicationOf = (e: Environment) => {
  if (!e.replication) throw new Error('scenario (i) needs the private primary and its replica (bench/replication.ts)');
  return e.replication;
};

export const CONTENDERS: Record<ContenderId, ContenderSpec> = {
  wp: {
    label: 'weekly-pulse',
    entry: 'weekly-pulse',
    // Uncached: no response cache, and aggregates expire at once (dashboardStats computes every time).
    env: (e) => weeklyPulse(e, { RESPONSE_CACHE: 'off', RESPONSE_CACHE_AGGREGATE_TTL_MS: '1' }),
    probe: { path: '/readyz' },
  },
  'wp-memory': {
    label: 'weekly-pulse, cache in memory',
    entry: 'weekly-pulse',
    env: (e) => weeklyPulse(e, { RESPONSE_CACHE: 'on', RESPONSE_CACHE_TTL_MS: HOUR_MS, RESPONSE_CACHE_AGGREGATE_TTL_MS: HOUR_MS }),
    probe: { path: '/readyz' },
  },
  'wp-redis': {
    label: 'weekly-pulse, cache on Redis',
    entry: 'weekly-pulse',
    env: (e) =>
      weeklyPulse(e, {
        RESPONSE_CACHE: 'on',
        RESPONSE_CACHE_TTL_MS: HOUR_MS,
        RESPONSE_CACHE_AGGREGATE_TTL_MS: HOUR_MS,
        REDIS_URL: e.redisUrl,
        REDIS_KEY_PREFIX: `${e.redisPrefix}wp:`,
      }),
    probe: { path: '/readyz' },
  },
  // (i): both uncached, on the same private primary; one also reads from its streaming replica.
  'wp-primary': {
    label: 'weekly-pulse, primary alone',
    entry: 'weekly-pulse',
    env: (e) =>
      weeklyPulse({ ...e, databaseUrl: replicationOf(e).primaryUrl }, { RESPONSE_CACHE: 'off', RESPONSE_CACHE_AGGREGATE_TTL_MS: '1' }),
    probe: { path: '/readyz' },
  },
  'wp-replica': {
    label: 'weekly-pulse, reads on a replica',
    entry: 'weekly-pulse',
    env: (e) =>
      weeklyPulse(
        { ...e, databaseUrl: replicationOf(e).primaryUrl },
        { RESPONSE_CACHE: 'off', RESPONSE_CACHE_AGGREGATE_TTL_MS: '1', DATABASE_REPLICA_URLS: replicationOf(e).replicaUrl },
      ),
    probe: { path: '/readyz' },
  },
  naive: {
    label: 'naive GraphQL (N+1, OFFSET)',
    entry: 'bench/contenders/naive-graphql.ts',
    env: (e) => ({ DATABASE_URL: e.databaseUrl }),
    probe: { path: '/graphql', method: 'POST', body: '{"query":"{ users(first: 1) { edges { node { name } } } }"}' },
  },
  'rest-old': {
    label: 'old REST (findMany + include)',
    entry: 'bench/contenders/rest-old.ts',
    env: (e) => ({ DATABASE_URL: e.databaseUrl }),
    probe: { path: '/readyz' },
  },
  postgraphile: {
    label: 'PostGraphile 5',
    entry: 'bench/contenders/postgraphile.ts',
    env: (e) => ({ DATABASE_URL: e.databaseUrl, GRAPHILE_ENV: 'production' }),
    probe: { path: '/graphql', method: 'POST', body: '{"query":"{ users(first: 1) { nodes { name } } }"}' },
  },
  'bare-yoga': {
    label: 'bare Yoga (no plugins, one-field schema)',
    entry: 'bench/contenders/bare-yoga.ts',
    env: () => ({}),
    probe: { path: '/graphql', method: 'POST', body: '{"query":"{ __typename }"}' },
  },
  limit: {
    label: 'limit: node:http + pg (json_agg)',
    entry: 'bench/contenders/limit.ts',
    env: (e) => ({ DATABASE_URL: e.databaseUrl, REDIS_URL: e.redisUrl }),
    probe: { path: '/readyz' },
  },
};

/** How weekly-pulse is started: the production build (`npm run start:prod`) or its sources through tsx. */
export interface WeeklyPulseLaunch {
  argv: string[];
  description: string;
}

/**
 * As deployed: `npm run build`, then the `start:prod` command (node flags included); `fromSource` starts
 * src/main.ts through tsx instead (when the build is broken, or there is none).
 */
export function prepareWeeklyPulse(fromSource: boolean, log: (message: string) => void): WeeklyPulseLaunch {
  const fromTsx = {
    argv: [process.execPath, '--import', 'tsx', 'src/main.ts'],
    description: 'node --import tsx src/main.ts (from source)',
  };
  const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  const start = scripts['start:prod'];
  if (fromSource || !scripts.build || !start) {
    if (!fromSource) log('package.json has no build and start:prod scripts: starting weekly-pulse from source');
    return fromTsx;
  }
  log(`building weekly-pulse (npm run build) to run it as deployed: ${start}`);
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`npm run build failed (use --from-source to measure the sources through tsx):\n${build.stdout}${build.stderr}`);
  }
  const [command, ...args] = start.split(/\s+/);
  if (command !== 'node') throw new Error(`start:prod must start with node to be pinned and measured: ${start}`);
  return { argv: [process.execPath, ...args], description: start };
}

export interface Pinning {
  /** taskset CPU list for servers, or undefined when pinning is not possible here. */
  serverCpus?: string;
  loadCpus?: string;
  note: string;
}

/**
 * Pins this process (the load generator) to one core and leaves the other for the servers, on Linux with
 * taskset and at least two cores. PostgreSQL and Redis are not ours to pin: they float over every core.
 */
export function pinLoadGenerator(cores: number, enabled: boolean): Pinning {
  if (!enabled) return { note: 'not pinned (--no-pin)' };
  if (cores < 2) return { note: `not pinned: ${cores} core` };
  if (spawnSync('taskset', ['-V']).status !== 0) return { note: 'not pinned: taskset is not available' };
  const serverCpus = '0';
  const loadCpus = cores >= 4 ? `${Math.floor(cores / 2)}-${cores - 1}` : String(cores - 1);
  const pinned = spawnSync('taskset', ['-a', '-p', '-c', loadCpus, String(process.pid)]);
  if (pinned.status !== 0) return { note: `not pinned: taskset failed (${pinned.stderr.toString().trim()})` };
  return {
    serverCpus,
    loadCpus,
    note: `servers on CPU ${serverCpus}, load generator on CPU ${loadCpus}; PostgreSQL and Redis unpinned`,
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningContender {
  id: ContenderId;
  label: string;
  url: string;
  pid: number;
  /** Peak resident memory so far (VmHWM), in bytes. */
  peakRss(): number;
  /** Resolves once the readiness probe answers: after a load test, once the requests still queued are done. */
  settle(): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** For exit paths: kills every contender this process started that is still alive. */
export function killContenders(): void {
  for (const child of running) child.kill('SIGKILL');
}

export async function startContender(
  id: ContenderId,
  environment: Environment,
  pinning: Pinning,
  launch: WeeklyPulseLaunch,
  { databaseUrl, timeoutMs = 120_000 }: { databaseUrl?: string; timeoutMs?: number } = {},
): Promise<RunningContender> {
  const spec = CONTENDERS[id];
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...spec.env(databaseUrl ? { ...environment, databaseUrl } : environment),
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  const node = spec.entry === 'weekly-pulse' ? launch.argv : [process.execPath, '--import', 'tsx', spec.entry];
  // taskset execs node, so the child's pid is the server's own (for /proc/<pid>/status).
  const [command, ...args] = pinning.serverCpus ? ['taskset', '-c', pinning.serverCpus, ...node] : node;
  const child = spawn(command!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let dead = false;
  void exited.then(() => (dead = true));
  const url = `http://127.0.0.1:${port}`;
  const probe = (timeout: number) =>
    fetch(`${url}${spec.probe.path}`, {
      method: spec.probe.method ?? 'GET',
      headers: { 'content-type': 'application/json' },
      body: spec.probe.body,
      signal: AbortSignal.timeout(timeout),
    }).then(
      async (r) => r.ok && !(await r.text()).includes('"errors"'),
      () => false,
    );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (dead) throw new Error(`${spec.label} exited during start:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${spec.label} was not ready within ${timeoutMs} ms:\n${output}`);
    }
    if (await probe(5_000)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    id,
    label: spec.label,
    url,
    pid: child.pid!,
    peakRss: () => peakRss(child.pid!),
    settle: async () => {
      // The probe queues behind what the load left in flight (same pool), so it answers once that is done.
      await probe(120_000);
    },
    output: () => output,
    stop: async () => {
      if (dead) return;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

/** VmHWM of a live process (Linux), in bytes; 0 where /proc is not available. */
export function peakRss(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
