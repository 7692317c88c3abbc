// Collects what each GraphQL request did (operations, viewer, duration, response cache, SQL statements,
// error codes, status) for the request log and the metrics, which read it once the response is ready.
import { AsyncLocalStorage } from 'node:async_hooks';
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../infra/database/open-database.js';
import { onEveryQuery, type ReplicaSet } from '../infra/database/replicas.js';
import { viewerOf, type Identities } from './identity.js';
import type { RequestIds } from './use-request-id.js';

export type CacheOutcome = 'hit' | 'miss' | 'none';

export interface OperationStats {
  /** The client's operationName, or the name of the operation that ran; null when unnamed. */
  name: string | null;
  cache: CacheOutcome;
  /** The operation produced data (it ran, or was served from the cache). */
  hasData: boolean;
}

export interface RequestStats {
  requestId: string;
  operations: OperationStats[];
  /** A user id, 'service', or null (authentication refused or never reached). */
  viewerId: number | 'service' | null;
  durationMs: number;
  /** hit: every operation came from the response cache; miss: at least one did not; none: not cached. */
  cache: CacheOutcome;
  sqlStatements: number;
  errorCodes: string[];
  status: number;
}

interface Collecting {
  startedAt: number;
  /** Reached GraphQL request parsing (not GraphiQL, /readyz, /metrics, an export...). */
  graphql: boolean;
  operations: OperationStats[];
  sqlStatements: number;
  errorCodes: string[];
  finished?: RequestStats;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

const nameOf = (name: unknown) => (typeof name === 'string' && GRAPHQL_NAME.test(name) ? name : null);

function cacheOutcome(result: ExecutionResult | undefined): CacheOutcome {
  const hit = (result?.extensions?.responseCache as { hit?: boolean } | undefined)?.hit;
  return hit === undefined ? 'none' : hit ? 'hit' : 'miss';
}

export interface RequestStatsCollector {
  plugin: Plugin;
  /**
   * The finished stats of a GraphQL request, for `onResponse` hooks (the first call fixes duration and
   * status); undefined for other routes.
   */
  statsOf(request: Request, response: Response): RequestStats | undefined;
}

export function createRequestStats({
  db,
  identities,
  requestIds,
  replicas,
}: {
  db: Database;
  identities: Identities;
  requestIds: RequestIds;
  /** Their statements count too. */
  replicas?: ReplicaSet;
}): RequestStatsCollector {
  // The request being handled, across every await (Prisma's query events fire in the caller's context).
  const current = new AsyncLocalStorage<Collecting>();
  const byRequest = new WeakMap<Request, Collecting>();
  // Statements count only for requests of this server (tests run several servers on one database).
  const stopCounting = onEveryQuery(db, replicas, () => {
    const collecting = current.getStore();
    if (collecting) collecting.sqlStatements++;
  });
  const collectingOf = (request: Request) => byRequest.get(request) ?? current.getStore();

  const plugin: Plugin = {
    instrumentation: {
      request({ request }, handle) {
        const collecting: Collecting = { startedAt: performance.now(), graphql: false, operations: [], sqlStatements: 0, errorCodes: [] };
        byRequest.set(request, collecting);
        return current.run(collecting, handle);
      },
    },
    onRequestParse({ request }) {
      const collecting = collectingOf(request);
      if (!collecting) return;
      collecting.graphql = true;
      return {
        onRequestParseDone({ requestParserResult }) {
          const list = Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult];
          collecting.operations = list.map((params) => ({ name: nameOf(params.operationName), cache: 'none', hasData: false }));
        },
      };
    },
    onExecute({ args }) {
      // A single operation sent without operationName: its name is in the (now validated) document.
      const request = (args.contextValue as { request?: Request }).request;
      const collecting = request && collectingOf(request);
      const only = collecting?.operations.length === 1 ? collecting.operations[0] : undefined;
      if (only && only.name === null) only.name = nameOf(getOperationAST(args.document, args.operationName)?.name?.value);
    },
    onResultProcess({ request, result }) {
      const collecting = collectingOf(request);
      if (!collecting || Symbol.asyncIterator in (result as object)) return;
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      collecting.operations.forEach((operation, i) => {
        operation.cache = cacheOutcome(results[i]);
        operation.hasData = results[i]?.data != null;
      });
      for (const r of results) {
        for (const error of r.errors ?? []) collecting.errorCodes.push(String(error.extensions?.code ?? 'UNKNOWN'));
      }
    },
    onDispose() {
      stopCounting();
    },
  };

  return { plugin, statsOf };

  function statsOf(request: Request, response: Response): RequestStats | undefined {
    const collecting = byRequest.get(request);
    if (!collecting?.graphql) return undefined;
    if (!collecting.finished) {
      const viewer = viewerOf(identities.known(request));
      const caches = collecting.operations.map((o) => o.cache);
      collecting.finished = {
        requestId: requestIds.of(request),
        operations: collecting.operations,
        viewerId: viewer ? (viewer.kind === 'user' ? viewer.id : 'service') : null,
        durationMs: Math.round((performance.now() - collecting.startedAt) * 10) / 10,
        cache: caches.includes('miss') ? 'miss' : caches.includes('hit') ? 'hit' : 'none',
        sqlStatements: collecting.sqlStatements,
        errorCodes: collecting.errorCodes,
        status: response.status,
      };
    }
    return collecting.finished;
  }
}
