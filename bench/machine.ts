// What a result was measured on: hardware, operating system, runtime, database and cache versions and
// settings, the versions of the packages that matter, and the commit (numbers mean nothing without it).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ROOT } from './processes.js';

const PACKAGES = [
  'graphql-yoga',
  'graphql',
  '@pothos/core',
  '@pothos/plugin-prisma',
  '@prisma/client',
  '@prisma/adapter-pg',
  'pg',
  'ioredis',
  '@envelop/response-cache',
  'postgraphile',
  'grafast',
  '@dataplan/pg',
  'autocannon',
  'tsx',
];

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  redis: string;
  packages: Record<string, string>;
  git: { commit: string; dirty: boolean };
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export async function describeMachine(databaseUrl: string, redisUrl: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let postgres: string;
  const postgresSettings: Record<string, string> = {};
  try {
    postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
       WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'jit', 'random_page_cost')`,
    );
    for (const s of settings.rows) postgresSettings[s.name] = s.unit ? `${s.setting} x ${s.unit}` : s.setting;
  } finally {
    await client.end();
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let redisVersion = 'unreachable';
  try {
    await redis.connect();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } catch {
    // Reported as unreachable; the Redis scenarios then fail their own checks.
  } finally {
    redis.disconnect();
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres,
    postgresSettings,
    redis: redisVersion,
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
    git: { commit: git(['rev-parse', 'HEAD']), dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' },
  };
}
