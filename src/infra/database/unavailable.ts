// Tells "the database is down or restarting" apart from every other database error, whichever layer
// raised it (node-postgres, Prisma's pg adapter, Prisma's client): such errors are worth retrying and
// are answered 503, never logged out or reported as a bug.

/** Socket failures while connecting or mid-query. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs of a server that is shutting down, starting up, or out of connections. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Prisma's codes for an unreachable server, a closed connection, a timeout or an exhausted pool. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
/** The pg adapter's error kinds for the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|the database system is (starting up|shutting down)/i;

/** What the layers put on a database error; each layer wraps the one below (adapter error, then cause). */
export interface DatabaseErrorLayer {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown; code?: unknown };
}

/** True when `test` holds for the error or any error it wraps (Prisma's adapter error, then `cause`). */
export function someLayer(error: unknown, test: (layer: DatabaseErrorLayer) => boolean): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    const layer = current as DatabaseErrorLayer;
    if (test(layer)) return true;
    current = layer.meta?.driverAdapterError ?? layer.cause;
  }
  return false;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return someLayer(error, (e) => {
    if (typeof e.code === 'string') {
      if (SOCKET_CODES.has(e.code) || PRISMA_CODES.has(e.code) || SQLSTATES.has(e.code) || e.code.startsWith('08')) return true;
    }
    if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
    return typeof e.message === 'string' && MESSAGES.test(e.message);
  });
}
