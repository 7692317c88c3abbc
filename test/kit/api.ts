// Test kit: the real server stack (Yoga + schema + Prisma) over a per-file database, called through
// `yoga.fetch` without a port, plus helpers that record the SQL a request ran.
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { expect } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createExportTokens } from '../../src/infra/auth/export-token.js';
import { createTokenSigner, createTokenVerifier } from '../../src/infra/auth/jwt.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createServer, GRAPHQL_PATH, type Server, type ServerDependencies } from '../../src/server/create-server.js';
import { createHttpServer } from '../../src/server/http-server.js';
import type { PersistedOperationsPolicy } from '../../src/server/use-persisted-operations.js';
import { offlineWriter, type Messenger, type SummaryWriter } from '../../src/services/summary-ports.js';
import { createSummaryWorker, type SummaryWorker } from '../../src/services/weekly-summary-worker.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** One answer as a test reads it: the HTTP status and headers beside the parsed body. */
export interface GraphQLResponse<D = unknown> {
  status: number;
  headers: Headers;
  data?: D;
  errors?: GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** The answer to a batch: each operation's answer in order, or the one error that refused the whole batch. */
export interface GraphQLBatchResponse<R extends readonly GraphQLResponse[] = GraphQLResponse[]> {
  status: number;
  headers: Headers;
  /** The answers in order (each with the batch's status and headers), when the server ran the batch. */
  results?: R;
  /** The error answer, when the server refused the batch as a whole. */
  errors?: GraphQLError[];
}

/** A document as tests write it: its text, or a typed document from test/kit/generated (`graphql(...)`). */
export type Document<D = unknown, V = Record<string, unknown>> = string | TypedDocumentNode<D, V>;

/** The body of one GraphQL request, as a client sends it. */
export interface GraphQLRequest<D = unknown, V = Record<string, unknown>> {
  /** Left out for a request that names a persisted document by hash or id alone. */
  query?: Document<D, V>;
  variables?: V;
  operationName?: string;
  /** E.g. `{ persistedQuery: { version: 1, sha256Hash } }` (automatic persisted queries). */
  extensions?: Record<string, unknown>;
  /** A trusted document's id (GraphQL over HTTP's `documentId`). */
  documentId?: string;
}

/** One operation of a batch; a typed document types its answer in the batch's `results`. */
export interface BatchedRequest extends Omit<GraphQLRequest, 'query' | 'variables'> {
  query?: string | DocumentNode;
  variables?: Record<string, unknown>;
}

/** The answers to a batch's operations, position by position. */
export type BatchResults<B extends readonly BatchedRequest[]> = {
  -readonly [K in keyof B]: GraphQLResponse<B[K]['query'] extends TypedDocumentNode<infer D, infer _V> ? D : unknown>;
};

/** How a request travels: everything but its body. */
export interface RequestOptions {
  /** POST sends the body as JSON (default); GET puts its fields in the URL, with the CSRF header Apollo's link sends. */
  method?: 'POST' | 'GET';
  /** Extra request headers; they win over the defaults (accept, content-type, the actor's authorization). */
  headers?: Record<string, string>;
  /** Who this one request is made as, instead of the one set by `actAs`. */
  as?: Actor;
}

/** Where tests reach the in-memory server with `yoga.fetch` (no port: the host is never resolved). */
export const ORIGIN = 'http://localhost';
export const GRAPHQL_URL = `${ORIGIN}${GRAPHQL_PATH}`;
/** What api.request accepts by default: GraphQL over HTTP's media type, whose statuses tell errors apart. */
export const GRAPHQL_RESPONSE = 'application/graphql-response+json';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
export const TEST_SERVICE_TOKEN = 'test-service-token-0123456789abcdefghijkl';

/** Who the next requests are made as: a user id, the scheduler's service identity, or nobody. */
export type Actor = number | 'service' | null;

export interface TestApi {
  db: TestDatabase;
  /** The Yoga instance (`yoga.fetch` for raw HTTP requests). */
  yoga: Server['yoga'];
  /** The server and what it owns (its caches); `api.close()` disposes it. */
  server: Server;
  /** The background summary worker (tests await `worker.idle()`). */
  worker: SummaryWorker;
  /** A valid token for a user id (HS256 with the test secret). */
  tokenFor(userId: number): Promise<string>;
  /** Sets who later requests are made as (default: nobody, which the API refuses). */
  actAs(actor: Actor): void;
  /** POSTs one document as the current actor: `request({ query, variables }, { headers })` in short. */
  graphql<D = unknown, V extends Record<string, unknown> = Record<string, unknown>>(
    query: Document<D, V>,
    variables?: V,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<D>>;
  /**
   * Sends one GraphQL request (POST or GET; operation name, extensions, documentId, headers, actor) or a
   * batch (an array body) and returns the status, headers and parsed body; throws on a non-JSON answer.
   */
  request<D = unknown, V extends Record<string, unknown> = Record<string, unknown>>(
    body: GraphQLRequest<D, V>,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<D>>;
  request<const B extends readonly BatchedRequest[]>(batch: B, options?: RequestOptions): Promise<GraphQLBatchResponse<BatchResults<B>>>;
  /**
   * Runs `fn` and returns the SQL statements Prisma sent meanwhile, less the viewer lookups (which the viewer
   * cache may or may not serve; their text taken from a `{ __typename }`), so tests see what the query itself costs.
   */
  recordSql<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
  /**
   * Serves this API over node:http on a free loopback port, as main.ts does (Yoga then hands plugins
   * @whatwg-node's Request and AbortSignal, not Node's); `close` also runs in `api.close()`.
   */
  listen(): Promise<{ origin: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  db?: TestDatabase;
  /** Response cache: off unless asked for (statement-counting tests must not be served from it). */
  responseCache?: { redis?: { client: Redis; keyPrefix: string }; ttlMs?: number };
  /** Persisted operations policy (default `off`, as the embedded default) and the Redis for APQ registrations. */
  persistedOperations?: { policy: PersistedOperationsPolicy; ttlSeconds?: number; redis?: { client: Redis; keyPrefix: string } };
  /** Summary generation providers (default: offline writer, no Telegram). */
  reports?: { writer?: SummaryWriter; messenger?: Messenger | null; leaseTtlMs?: number; owner?: string };
  /** Rate limits per minute: off unless asked for (0 keeps one off); `redis` shares the counters. */
  rateLimit?: { perMinute?: number; anonymousPerMinute?: number; trustProxy?: number; redis?: { client: Redis; keyPrefix: string } };
  /** Bearer token of GET /metrics (default: none, open as in development). */
  metricsToken?: string;
  /** Where the server logs (default: silent, or TEST_LOG_LEVEL). */
  logger?: Logger;
  /** Run as NODE_ENV=production does (introspection policy, limit errors without numbers). */
  production?: boolean;
  /** Query and HTTP limits (default: the documented defaults of src/config.ts). */
  limits?: Partial<Config['limits']>;
  /** CSV export limits (default: the documented defaults of src/config.ts). */
  exports?: Partial<Config['exports']>;
  /** Analytics privacy (default: the documented ANALYTICS_MIN_GROUP_SIZE). */
  analytics?: Partial<Config['analytics']>;
  /** Token rules (default: the test secret, no audience, the default JWT_MAX_AGE). */
  auth?: { audience?: string; maxAgeSeconds?: number };
  /** GraphiQL's starting headers, as the embedded default sets them (a demo token: loopback hosts only). */
  graphiqlHeaders?: Record<string, string>;
  /** Origins allowed by CORS (default: none, as configured when CORS_ORIGINS is unset). */
  corsOrigins?: Config['server']['corsOrigins'];
}

/** The documented defaults, read from the same schema as the server's (an empty environment). */
const DEFAULTS = loadConfig({});

/**
 * For tests that read whole tables in one request to compare them with SQL, far beyond what the query
 * limits let a client ask for (those limits are tested in test/abuse).
 */
export const WHOLE_TABLE_LIMITS: Partial<Config['limits']> = { maxCost: Number.MAX_SAFE_INTEGER, maxAliases: 1_000 };

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const db = options.db ?? (await createTestDatabase());
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // Shared by the server and the worker, as in main.ts.
  const metrics = createMetrics();
  const sign = createTokenSigner({ secret: TEST_JWT_SECRET, audience: options.auth?.audience, ttl: '1h' });
  const worker = createSummaryWorker({
    prisma: db.prisma,
    logger,
    writer: options.reports?.writer ?? offlineWriter,
    messenger: options.reports?.messenger ?? null,
    owner: options.reports?.owner ?? `test-${Math.random().toString(36).slice(2, 8)}`,
    leaseTtlMs: options.reports?.leaseTtlMs ?? 30_000,
    onRunFinished: (outcome) => metrics.summaryRuns.inc({ outcome }),
  });
  const config: ServerDependencies['config'] = {
    production: options.production ?? false,
    server: {
      ...DEFAULTS.server,
      host: '127.0.0.1',
      port: 0,
      shutdownTimeoutMs: 10_000,
      graphiql: true,
      trustProxy: options.rateLimit?.trustProxy ?? 0,
      corsOrigins: options.corsOrigins ?? DEFAULTS.server.corsOrigins,
    },
    limits: { ...DEFAULTS.limits, ...options.limits },
    exports: { ...DEFAULTS.exports, ...options.exports },
    analytics: { ...DEFAULTS.analytics, ...options.analytics },
    responseCache: {
      enabled: options.responseCache !== undefined,
      ttlMs: options.responseCache?.ttlMs ?? 30_000,
      aggregateTtlMs: 300_000,
      maxEntries: 1_000,
      maxBytes: DEFAULTS.responseCache.maxBytes,
    },
    persistedOperations: {
      policy: options.persistedOperations?.policy ?? 'off',
      ttlSeconds: options.persistedOperations?.ttlSeconds ?? 86_400,
    },
    rateLimit: { perMinute: options.rateLimit?.perMinute ?? 0, anonymousPerMinute: options.rateLimit?.anonymousPerMinute ?? 0 },
    metrics: { token: options.metricsToken },
  };
  const server = createServer({
    config,
    metrics,
    db,
    logger,
    redis: options.responseCache?.redis ?? options.persistedOperations?.redis ?? options.rateLimit?.redis,
    reports: { worker, timeZone: 'UTC' },
    exportTokens: createExportTokens(TEST_JWT_SECRET),
    graphiqlHeaders: options.graphiqlHeaders,
    auth: { verifier: createTokenVerifier({ secret: TEST_JWT_SECRET, ...options.auth }), serviceToken: TEST_SERVICE_TOKEN },
  });
  const { yoga } = server;
  let actor: Actor = null;
  let overhead: string[] | undefined;
  const listeners = new Set<() => Promise<void>>();
  const record = async <T>(fn: () => Promise<T>) => {
    const statements: string[] = [];
    const stop = db.onQuery((e) => statements.push(e.sql));
    try {
      return { result: await fn(), statements };
    } finally {
      stop();
    }
  };
  const authorization = async (as: Actor): Promise<Record<string, string>> => {
    if (as === null) return {};
    return { authorization: `Bearer ${as === 'service' ? TEST_SERVICE_TOKEN : await sign(String(as))}` };
  };
  // Array.isArray does not narrow a readonly array.
  const isBatch = (body: GraphQLRequest | readonly BatchedRequest[]): body is readonly BatchedRequest[] => Array.isArray(body);
  const send = async (body: GraphQLRequest | readonly BatchedRequest[], options: RequestOptions = {}) => {
    const method = options.method ?? 'POST';
    const headers = { accept: GRAPHQL_RESPONSE, ...(await authorization(options.as === undefined ? actor : options.as)) };
    const wire = (request: GraphQLRequest | BatchedRequest) => ({
      ...request,
      query: typeof request.query === 'object' ? print(request.query) : request.query,
    });
    let response: Response;
    if (method === 'GET') {
      if (isBatch(body)) throw new Error('a batch is sent with POST');
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(wire(body))) {
        if (value !== undefined) params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
      response = await yoga.fetch(`${GRAPHQL_URL}?${params}`, {
        method,
        headers: { ...headers, 'apollo-require-preflight': 'true', ...options.headers },
      });
    } else {
      response = await yoga.fetch(GRAPHQL_URL, {
        method,
        headers: { ...headers, 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify(isBatch(body) ? body.map(wire) : wire(body)),
      });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`non-JSON response ${response.status}: ${text.slice(0, 500)}`);
    }
    const { status, headers: responseHeaders } = response;
    if (!isBatch(body)) return { status, headers: responseHeaders, ...(parsed as object) } as GraphQLResponse;
    if (Array.isArray(parsed))
      return {
        status,
        headers: responseHeaders,
        results: parsed.map((answer: object) => ({ status, headers: responseHeaders, ...answer })),
      };
    return { status, headers: responseHeaders, ...(parsed as object) } as GraphQLBatchResponse;
  };
  const request = send as TestApi['request'];
  const api: TestApi = {
    db,
    yoga,
    server,
    worker,
    tokenFor: (userId) => sign(String(userId)),
    actAs(next) {
      actor = next;
    },
    graphql: (query, variables, headers) => request({ query, variables }, { headers }),
    request,
    async recordSql(fn) {
      // The viewer lookup's text, taken from a request that ran it (a request served by the viewer cache runs none).
      if (!overhead?.length) overhead = (await record(() => api.graphql('{ __typename }'))).statements;
      const lookup = new Set(overhead);
      const { result, statements } = await record(fn);
      return { result, statements: statements.filter((sql) => !lookup.has(sql)) };
    },
    async listen() {
      const http = createHttpServer(yoga, { requestTimeoutMs: config.limits.requestTimeoutMs });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const close = async () => {
        listeners.delete(close);
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      };
      listeners.add(close);
      return { origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, close };
    },
    close: async () => {
      await Promise.all([...listeners].map((close) => close()));
      worker.stop();
      await worker.idle();
      await server.dispose();
      if (!options.db) await db.destroy();
    },
  };
  return api;
}

/** Asserts a response has data and no errors; on failure prints the query, variables and response. */
/** How many statements read the users table (the viewer lookup is one) while `send` ran on `db`. */
export async function userReads(db: Pick<TestDatabase, 'onQuery'>, send: () => Promise<unknown>): Promise<number> {
  const statements: string[] = [];
  const stop = db.onQuery((event) => statements.push(event.sql));
  try {
    await send();
  } finally {
    stop();
  }
  return statements.filter((sql) => /FROM "public"\."users"/.test(sql)).length;
}

/**
 * Sends until `applied` holds and returns that answer; fails unless it holds within `boundMs`, the viewer
 * cache's bound for a change written to users outside the API (src/server/viewer-cache.ts: the trigger's
 * NOTIFY usually makes it the very next request; a lost push is caught by the poll).
 */
export async function untilApplied<R>(send: () => Promise<R>, applied: (response: R) => boolean, boundMs = 1_000): Promise<R> {
  const started = performance.now();
  for (;;) {
    const response = await send();
    if (applied(response)) return response;
    expect(performance.now() - started, `the change did not apply within ${boundMs} ms`).toBeLessThan(boundMs);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function expectNoGraphQLErrors<D>(
  response: GraphQLResponse<D>,
  query?: string | DocumentNode,
  variables?: Record<string, unknown>,
): asserts response is GraphQLResponse<D> & { data: D } {
  if (response.errors?.length || !response.data) {
    const text = typeof query === 'object' ? print(query) : query;
    const detail = JSON.stringify({ query: text, variables, response }, null, 2);
    expect.fail(`expected no GraphQL errors, got:\n${detail}`);
  }
}

/** Asserts the response failed with exactly one error of the given code and no internals leaked. */
export function expectErrorCode(response: GraphQLResponse, code: string): string {
  const detail = JSON.stringify(response, null, 2);
  expect(response.errors, detail).toBeDefined();
  expect(
    response.errors!.map((e) => e.extensions?.code),
    detail,
  ).toContain(code);
  expect(response.status, detail).toBeLessThan(500);
  for (const error of response.errors!) {
    expect(JSON.stringify(error), detail).not.toMatch(/at .+\.(ts|js):\d+|stack|prisma|SELECT |node_modules/i);
  }
  return response.errors!.find((e) => e.extensions?.code === code)!.message;
}
