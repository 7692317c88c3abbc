// A PgBouncer of the test's own (Debian's /usr/sbin/pgbouncer, not daemonized, on a free port) in front of
// one database of a PostgreSQL server, with a small server pool so a pooling bug shows up under load.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis.js';

export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';

export interface PgBouncerOptions {
  /** The database behind it, e.g. postgresql://postgres@127.0.0.1:5432/test (trust auth, no password). */
  upstream: string;
  poolMode: 'transaction' | 'session' | 'statement';
  /** Server connections per database and user (default 5). */
  poolSize?: number;
  /** Client connections accepted in all (default 100). */
  maxClientConn?: number;
}

export interface PgBouncer {
  /** The same database through PgBouncer. */
  url: string;
  /** Runs one admin console command (`SHOW POOLS`, `SHOW CLIENTS`, `PAUSE db`...) and returns its rows. */
  admin(command: string): Promise<Record<string, unknown>[]>;
  /** Everything PgBouncer logged so far. */
  log(): string;
  stop(): Promise<void>;
}

export async function startPgBouncer({ upstream, poolMode, poolSize = 5, maxClientConn = 100 }: PgBouncerOptions): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BIN)) {
    throw new Error(`${PGBOUNCER_BIN} is missing: apt-get install -y --no-install-recommends pgbouncer`);
  }
  const target = new URL(upstream);
  const database = decodeURIComponent(target.pathname.slice(1));
  const user = decodeURIComponent(target.username) || 'postgres';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wp-pgbouncer-'));
  const userlist = join(dir, 'userlist.txt');
  writeFileSync(userlist, `"${user}" ""\n`);
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `${database} = host=${target.hostname} port=${target.port || '5432'} dbname=${database} user=${user}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      // TCP only: no socket left in /tmp or /var/run.
      'unix_socket_dir =',
      // The upstream trusts local connections; the clients here are the tests and the API.
      'auth_type = trust',
      `auth_file = ${userlist}`,
      `admin_users = ${user}`,
      `pool_mode = ${poolMode}`,
      `default_pool_size = ${poolSize}`,
      'min_pool_size = 0',
      'reserve_pool_size = 0',
      `max_client_conn = ${maxClientConn}`,
      // No ignore_startup_parameters: a client that sends `options` (or another parameter PgBouncer does
      // not track) is refused, as it would be in production.
    ].join('\n'),
  );
  // PgBouncer refuses to run as root; -u makes it switch to the postgres user itself.
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(PGBOUNCER_BIN, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const url = `postgresql://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const stop = async () => {
    if (running) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await answering(
      url,
      () => running,
      () => output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const adminUrl = url.replace(/\/[^/]*$/, '/pgbouncer');
  const admin = async (command: string) => {
    // The console speaks the simple query protocol only: no parameters.
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return (await client.query(command)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return { url, admin, log: () => output, stop };
}

/** Waits until a query through PgBouncer reaches the upstream (which proves both ends are up). */
async function answering(url: string, running: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (!running()) throw new Error(`pgbouncer exited:\n${output()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`pgbouncer did not answer within 10 s (${(error as Error).message}):\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
}
