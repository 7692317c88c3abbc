// Opens the database in either mode behind one interface: PostgreSQL through Prisma's pg adapter, or
// embedded PGlite in a local folder through its Prisma adapter. Everything above this file is mode-blind.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { PrismaClient } from '../../generated/prisma/client.js';
import { type Listener, pgListener, pgliteListener } from './listener.js';
import { observedSqlClient, pgliteSqlClient, pgSqlClient, type SqlClient } from './sql-client.js';

export type DatabaseOptions =
  | {
      mode: 'postgres';
      url: string;
      /**
       * The same database without a transaction pooler, for what must own a session (LISTEN: listener.ts);
       * unset: `url` is direct.
       */
      directUrl?: string;
      poolSize?: number;
      /** Wait for a pool connection (default 5 s). */
      connectTimeoutMs?: number;
    }
  | { mode: 'embedded'; dir: string /** A dumped data dir to start from (tests). */; loadDataDir?: Blob };

export interface QueryEvent {
  sql: string;
  params: string;
  durationMs: number;
}

export interface Database {
  mode: 'postgres' | 'embedded';
  prisma: PrismaClient;
  sql: SqlClient;
  /** Subscribes to every SQL statement run through `prisma` or `sql`; returns the unsubscribe function. */
  onQuery(listener: (event: QueryEvent) => void): () => void;
  /** A session of its own that receives NOTIFYs on `channel` (listener.ts); the caller closes it. */
  listen(channel: string, onNotify: (payload: string) => void): Listener;
  close(): Promise<void>;
}

export class EmbeddedDatabaseLockedError extends Error {
  override name = 'EmbeddedDatabaseLockedError';
  constructor(dir: string) {
    super(
      `the embedded database in ${dir} is in use by another process (is the server running?). ` +
        'Stop it first, or set EMBEDDED_DB_DIR to another folder.',
    );
  }
}

const IN_MEMORY = 'memory://';

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.mode === 'postgres'
    ? openPostgres(options.url, options.directUrl ?? options.url, options.poolSize ?? 10, options.connectTimeoutMs ?? 5_000)
    : openEmbedded(options.dir, options.loadDataDir);
}

async function openPostgres(url: string, directUrl: string, poolSize: number, connectTimeoutMs: number): Promise<Database> {
  // Without a connect timeout, a request waits for a free connection forever when the pool is exhausted;
  // with it, the wait fails ("timeout exceeded when trying to connect"), which is answered 503.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: connectTimeoutMs });
  // An idle client's network error must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});
  const listeners = new Set<(event: QueryEvent) => void>();
  const prisma = createPrisma(new PrismaPg(pool), listeners);
  // A NOTIFY reaches the session that LISTENed: through a transaction pooler that session is nobody's.
  const listen = (channel: string, onNotify: (payload: string) => void) =>
    pgListener({ url: directUrl, channel, onNotify, timeoutMs: connectTimeoutMs });
  return assemble('postgres', listeners, prisma, pgSqlClient(pool), listen, async () => {
    await prisma.$disconnect();
    await pool.end();
  });
}

async function openEmbedded(dir: string, loadDataDir?: Blob): Promise<Database> {
  let release: (() => Promise<void>) | undefined;
  let dataDir = dir;
  if (!dir.startsWith(IN_MEMORY)) {
    dataDir = resolve(dir);
    mkdirSync(dirname(dataDir), { recursive: true });
    mkdirSync(dataDir, { recursive: true });
    // PGlite is single-process: a second process on the same folder would corrupt it.
    try {
      release = await lockfile.lock(dataDir, { lockfilePath: `${dataDir}.lock`, stale: 15_000 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') throw new EmbeddedDatabaseLockedError(dataDir);
      throw error;
    }
  }
  try {
    // Loaded only in this mode: PGlite and its adapter cost ~35 MB of a production process's memory.
    const [{ PGlite }, { pg_trgm }, { PrismaPGlite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('pglite-prisma-adapter'),
    ]);
    const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) });
    const listeners = new Set<(event: QueryEvent) => void>();
    const prisma = createPrisma(new PrismaPGlite(pglite), listeners);
    const listen = (channel: string, onNotify: (payload: string) => void) => pgliteListener(pglite, channel, onNotify);
    return assemble('embedded', listeners, prisma, pgliteSqlClient(pglite), listen, async () => {
      await prisma.$disconnect();
      await pglite.close();
      await release?.();
    });
  } catch (error) {
    await release?.();
    throw error;
  }
}

type Adapter = PrismaPg | PrismaPGlite;

function createPrisma(adapter: Adapter, listeners: Set<(event: QueryEvent) => void>): PrismaClient {
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (e) => {
    const event = { sql: e.query, params: e.params, durationMs: Number(e.duration) };
    for (const listener of listeners) listener(event);
  });
  return prisma;
}

function assemble(
  mode: Database['mode'],
  listeners: Set<(event: QueryEvent) => void>,
  prisma: PrismaClient,
  sql: SqlClient,
  listen: Database['listen'],
  close: () => Promise<void>,
): Database {
  let closing: Promise<void> | undefined;
  const emit = (text: string, params: readonly unknown[], durationMs: number) => {
    // Prisma's events carry parameters as JSON text; so do these.
    const event = { sql: text, params: JSON.stringify(params), durationMs };
    for (const listener of listeners) listener(event);
  };
  return {
    mode,
    prisma,
    // Raw statements (migrations, seeding, exports) are reported like Prisma's.
    sql: observedSqlClient(sql, emit),
    onQuery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listen,
    close: () => (closing ??= close()),
  };
}
