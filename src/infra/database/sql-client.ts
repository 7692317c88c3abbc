// A minimal raw-SQL client with the same behaviour over node-postgres and PGlite, for the work Prisma
// does not do well: migrations, bulk seeding, readiness checks.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface SqlClient {
  /** One parameterised statement; returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of several statements without parameters (simple query protocol). */
  exec(script: string): Promise<void>;
  /** Runs `fn` on one connection (session-level locks, transactions). */
  session<T>(fn: (session: SqlClient) => Promise<T>): Promise<T>;
  /** Runs `fn` in a transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

type PgQueryable = Pick<pg.PoolClient, 'query'>;

function pgConnectionClient(conn: PgQueryable): SqlClient {
  const client: SqlClient = {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await conn.query(text, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(script) {
      await conn.query(script);
    },
    session: (fn) => fn(client),
    transaction: (fn) => runTransaction(client, fn),
  };
  return client;
}

/** A client over a node-postgres pool: each call borrows a connection, `session` keeps one. */
export function pgSqlClient(pool: pg.Pool): SqlClient {
  const withConnection = async <T>(fn: (c: SqlClient) => Promise<T>): Promise<T> => {
    const conn = await pool.connect();
    try {
      return await fn(pgConnectionClient(conn));
    } finally {
      conn.release();
    }
  };
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await pool.query(text, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(script) {
      await pool.query(script);
    },
    session: withConnection,
    transaction: (fn) => withConnection((c) => runTransaction(c, fn)),
  };
}

/** A client over PGlite, which has a single connection: every call is already one session. */
export function pgliteSqlClient(db: PGlite): SqlClient {
  const client: SqlClient = {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(text, params as unknown[]);
      return result.rows;
    },
    async exec(script) {
      await db.exec(script);
    },
    session: (fn) => fn(client),
    transaction: (fn) => runTransaction(client, fn),
  };
  return client;
}

async function runTransaction<T>(conn: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  await conn.exec('BEGIN');
  try {
    const result = await fn(conn);
    await conn.exec('COMMIT');
    return result;
  } catch (error) {
    await conn.exec('ROLLBACK');
    throw error;
  }
}
