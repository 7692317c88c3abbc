// A minimal raw-SQL client with the same behaviour over node-postgres and PGlite, for the work Prisma
// does not do well: migrations, bulk seeding, readiness checks.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export interface SqlClient {
  /** One parameterised statement; returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of several statements without parameters (simple query protocol). */
  exec(script: string): Promise<void>;
  /** Runs `fn` on one connection (session-level locks, transactions). */
  session<T>(fn: (session: SqlClient) => Promise<T>): Promise<T>;
  /** Runs `fn` in a transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Streams the output of a `COPY (...) TO STDOUT` statement with backpressure, PostgreSQL only (PGlite has
   * no streaming COPY). `statement` runs first on the same connection, in the same read-only snapshot, and
   * returns the COPY (no parameters: inline escaped literals). Leaving the loop early drops the connection,
   * which makes PostgreSQL stop the statement.
   */
  copyOut?(statement: (snapshot: SqlClient) => Promise<string>): AsyncIterable<Uint8Array>;
  /** Quotes a value as an SQL string literal (for statements that cannot take parameters). */
  literal(value: string): string;
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
    literal: pg.escapeLiteral,
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
    literal: pg.escapeLiteral,
    async *copyOut(statement) {
      const conn = await pool.connect();
      let finished = false;
      try {
        const session = pgConnectionClient(conn);
        await session.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const copy = await statement(session);
        for await (const chunk of conn.query(copyTo(copy))) yield chunk as Uint8Array;
        await session.exec('COMMIT');
        finished = true;
      } finally {
        // An abandoned COPY leaves the connection mid-protocol: destroy it rather than return it to the pool.
        conn.release(finished ? undefined : true);
      }
    },
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
    literal: pg.escapeLiteral,
  };
  return client;
}

/** The same client, reporting each statement it runs (with its duration) to `onStatement`. */
export function observedSqlClient(
  client: SqlClient,
  onStatement: (sql: string, params: readonly unknown[], durationMs: number) => void,
): SqlClient {
  const timed = async <T>(sql: string, params: readonly unknown[], run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      onStatement(sql, params, performance.now() - started);
    }
  };
  const observed: SqlClient = {
    query: (text, params) => timed(text, params ?? [], () => client.query(text, params)),
    exec: (script) => timed(script, [], () => client.exec(script)),
    session: (fn) => client.session((inner) => fn(observedSqlClient(inner, onStatement))),
    transaction: (fn) => client.transaction((inner) => fn(observedSqlClient(inner, onStatement))),
    literal: (value) => client.literal(value),
  };
  const { copyOut } = client;
  if (copyOut) {
    observed.copyOut = (statement) =>
      copyOut.call(client, async (snapshot) => {
        const copy = await statement(observedSqlClient(snapshot, onStatement));
        onStatement(copy, [], 0);
        return copy;
      });
  }
  return observed;
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
