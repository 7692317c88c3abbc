// A database session of its own for LISTEN/NOTIFY, in either mode: notifications on one channel, and
// queries on the same session (so a poll proves the session that should deliver pushes is alive). It runs
// outside the pool and is not reported to `onQuery` listeners: it is the server's housekeeping, not a request's.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Listener {
  /**
   * One statement on the listening session. On PostgreSQL it connects (and LISTENs) on first use and after
   * any failure, so a failed call means "pushes may have been lost since the last success".
   */
  query<Row = Record<string, unknown>>(text: string): Promise<Row[]>;
  close(): Promise<void>;
}

export interface PgListenerOptions {
  /** A direct URL (DATABASE_DIRECT_URL when set): a transaction pooler would hand the LISTEN's session to others. */
  url: string;
  channel: string;
  onNotify: (payload: string) => void;
  /** Bounds a connect and each statement: a hung session must fail, not stall whoever waits on it. */
  timeoutMs: number;
}

/** A dedicated node-postgres client (a transaction pooler cannot carry LISTEN: give it a direct URL). */
export function pgListener({ url, channel, onNotify, timeoutMs }: PgListenerOptions): Listener {
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;

  const drop = (c: pg.Client) => {
    if (client === c) client = undefined;
    c.end().catch(() => {});
  };

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({
      connectionString: url,
      application_name: 'weekly-pulse listener',
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      keepAlive: true,
    });
    c.on('error', () => drop(c));
    c.on('end', () => drop(c));
    c.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
    } catch (error) {
      drop(c);
      throw error;
    }
    if (closed) {
      drop(c);
      throw new Error('listener closed');
    }
    client = c;
    return c;
  }

  return {
    async query<Row>(text: string) {
      if (closed) throw new Error('listener closed');
      if (!client) {
        connecting ??= connect().finally(() => {
          connecting = undefined;
        });
      }
      const c = client ?? (await connecting!);
      try {
        return (await c.query(text)).rows as Row[];
      } catch (error) {
        drop(c);
        throw error;
      }
    },
    async close() {
      closed = true;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

/** PGlite is in process: its notifications cannot be lost, and its one session is always there. */
export function pgliteListener(pglite: PGlite, channel: string, onNotify: (payload: string) => void): Listener {
  const unlisten = pglite.listen(channel, onNotify);
  unlisten.catch(() => {}); // awaited below; a PGlite that failed to listen fails those calls instead
  let closed = false;
  return {
    async query<Row>(text: string) {
      if (closed) throw new Error('listener closed');
      await unlisten;
      return (await pglite.query<Row>(text)).rows;
    },
    async close() {
      if (closed) return;
      closed = true;
      await (await unlisten)().catch(() => {});
    },
  };
}
