// (g) SQL statements per request, counted on the wire: each contender gets its own TCP relay in front of
// PostgreSQL that reads the frontend protocol and counts Execute and simple Query messages, so the count
// is what reached the database (ORM batching, auth lookups and all), whichever library sent it.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { HttpRequest } from './load.js';
import { startContender, type Environment, type Pinning, type WeeklyPulseLaunch } from './processes.js';
import { nestedPageRequest, usersPageRequest } from './scenarios.js';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const EXECUTE = 0x45; // 'E'
const SIMPLE_QUERY = 0x51; // 'Q'

export interface StatementCounter {
  /** A DATABASE_URL that goes through the counter. */
  url: string;
  statements(): number;
  close(): Promise<void>;
}

/** Counts statements in one client's byte stream (messages may span chunks). */
function frontendParser(onStatement: () => void) {
  let startup = true;
  let pending: Buffer = Buffer.alloc(0);
  let skip = 0;
  return (chunk: Buffer) => {
    let data = chunk;
    if (skip > 0) {
      const skipped = Math.min(skip, data.length);
      skip -= skipped;
      data = data.subarray(skipped);
    }
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    for (;;) {
      // Before the startup message, messages have no type byte: length, then a request code.
      const header = startup ? 8 : 5;
      if (pending.length < header) return;
      const length = startup ? pending.readInt32BE(0) : 1 + pending.readInt32BE(1);
      if (startup) {
        const code = pending.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
      } else if (pending[0] === EXECUTE || pending[0] === SIMPLE_QUERY) {
        onStatement();
      }
      if (pending.length >= length) {
        pending = pending.subarray(length);
      } else {
        skip = length - pending.length;
        pending = Buffer.alloc(0);
        return;
      }
    }
  };
}

export async function startStatementCounter(databaseUrl: string): Promise<StatementCounter> {
  const target = new URL(databaseUrl);
  const upstream = { host: target.hostname, port: Number(target.port || 5432) };
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const db = connect(upstream);
    sockets.add(client).add(db);
    const parse = frontendParser(() => (count += 1));
    client.on('data', (chunk: Buffer) => {
      parse(chunk);
      db.write(chunk);
    });
    db.pipe(client);
    const close = () => {
      client.destroy();
      db.destroy();
      sockets.delete(client);
      sockets.delete(db);
    };
    client.on('close', close).on('error', close);
    db.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(typeof address === 'object' && address ? address.port : 0);
  return {
    url: url.toString(),
    statements: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const PAGE_SIZES = [10, 50, 100] as const;
const COUNTED_CONTENDERS = ['wp', 'postgraphile', 'naive', 'limit'] as const;
const WARM_UP_REQUESTS = 2;
const COUNTED_REQUESTS = 5;

export interface StatementCountRow {
  scenario: 'a' | 'b';
  contender: (typeof COUNTED_CONTENDERS)[number];
  label: string;
  /** Statements per request, by page size. */
  perRequest: Record<number, number>;
}

async function send(baseUrl: string, request: HttpRequest, expectedRows: number): Promise<void> {
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  const text = await response.text();
  const edges = (JSON.parse(text) as { data?: { users?: { edges?: unknown[] } } }).data?.users?.edges?.length;
  if (!response.ok || text.includes('"errors"') || edges !== expectedRows) {
    throw new Error(`statement count: ${request.path} answered HTTP ${response.status} with ${edges} rows: ${text.slice(0, 300)}`);
  }
}

/**
 * Starts each contender behind its own counter, then for (a) and (b) at each page size sends a few requests
 * to warm it up and a few counted ones, one at a time; the count per request is their average.
 */
export async function countStatements(
  environment: Environment,
  pinning: Pinning,
  launch: WeeklyPulseLaunch,
  token: string,
): Promise<StatementCountRow[]> {
  const rows: StatementCountRow[] = [];
  for (const contender of COUNTED_CONTENDERS) {
    const counter = await startStatementCounter(environment.databaseUrl);
    const server = await startContender(contender, environment, pinning, launch, { databaseUrl: counter.url });
    try {
      for (const [scenario, request] of [
        ['a', usersPageRequest],
        ['b', nestedPageRequest],
      ] as const) {
        const perRequest: Record<number, number> = {};
        for (const size of PAGE_SIZES) {
          const page = request(contender, size, token);
          for (let i = 0; i < WARM_UP_REQUESTS; i++) await send(server.url, page, size);
          const before = counter.statements();
          for (let i = 0; i < COUNTED_REQUESTS; i++) await send(server.url, page, size);
          perRequest[size] = (counter.statements() - before) / COUNTED_REQUESTS;
        }
        rows.push({ scenario, contender, label: server.label, perRequest });
      }
    } finally {
      await server.stop();
      await counter.close();
    }
  }
  return rows;
}
