// A PostgreSQL server of the test's own (initdb into a temporary folder, on a free port), for fault tests
// that stop and restart it: the machine's shared server must never be restarted under other tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis.js';

export interface PrivatePostgres {
  url: string;
  port: number;
  start(): void;
  /** Fast shutdown: open connections are terminated, as in a real restart. */
  stop(): void;
  destroy(): void;
  /** The server's log so far (statements too, when started with `-c log_statement=all`). */
  log(): string;
}

export interface PrivatePostgresOptions {
  /** Extra server settings, e.g. ['log_statement=all']. */
  settings?: string[];
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
  if (!dir) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (initdb, pg_ctl)');
  return dir;
}

/** initdb refuses to run as root: as root, the server runs as the `postgres` system user. */
function run(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { encoding: 'utf8', cwd: tmpdir() });
  if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** A server over the data folder `data` (in `dir`, which also holds its socket and log), on `port`. */
function serverAt(bin: string, dir: string, data: string, port: number, settings: string[]): PrivatePostgres {
  const options = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    ...settings.map((setting) => `-c ${setting}`),
  ].join(' ');
  const logFile = join(dir, 'server.log');
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => run(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', logFile, '-w', 'start']),
    stop: () => run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']),
    destroy: () => {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
}

export async function startPrivatePostgres({ settings = [] }: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = ownedTempDir('wp-private-pg-');
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const server = serverAt(bin, dir, data, await freePort(), settings);
  server.start();
  return server;
}

/**
 * A hot standby of `primary` (pg_basebackup -R: it streams the primary's WAL from then on), on a port of
 * its own. `SELECT pg_wal_replay_pause()` on it makes its lag as long as a test needs.
 */
export async function startStandby(primary: PrivatePostgres, { settings = [] }: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = ownedTempDir('wp-standby-pg-');
  const data = join(dir, 'data');
  run(join(bin, 'pg_basebackup'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
    // At once: the default waits for a spread checkpoint, minutes on a server that is mostly idle.
    '--checkpoint=fast',
    '--no-sync',
  ]);
  const server = serverAt(bin, dir, data, await freePort(), ['hot_standby=on', 'wal_receiver_status_interval=1', ...settings]);
  server.start();
  return server;
}
