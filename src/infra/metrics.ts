// Prometheus metrics (prom-client) of one server: a registry of its own rather than prom-client's global
// one, so several servers in one process (tests) never share or collide on metric names.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsOptions {
  /** Distinct operation names kept as labels; later ones are counted as "other" (bounded cardinality). */
  maxOperationNames?: number;
  /** Node.js process metrics (CPU, memory, event loop lag): on in main, off in tests. */
  processMetrics?: boolean;
}

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics({ maxOperationNames = 100, processMetrics = false }: MetricsOptions = {}) {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const operationNames = new Set<string>();
  let replicaLags: () => { name: string; lagMs: number | null }[] = () => [];
  return {
    registry,
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time to answer a GraphQL operation (a batched request counts each operation with its duration)',
      labelNames: ['operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'Errors sent to clients, by extensions.code',
      labelNames: ['code'] as const,
      registers,
    }),
    cacheLookups: new Counter({
      name: 'cache_lookups_total',
      help: 'Lookups in the response cache (per operation), the aggregate cache and the viewer cache, by result',
      labelNames: ['cache', 'result'] as const,
      registers,
    }),
    sqlStatements: new Histogram({
      name: 'graphql_request_sql_statements',
      help: 'SQL statements one GraphQL request ran (authentication included)',
      buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100],
      registers,
    }),
    summaryRuns: new Counter({
      name: 'weekly_summary_runs_total',
      help: 'Weekly summary generation runs in this process, by outcome (failed: the run failed)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    reads: new Counter({
      name: 'database_reads_total',
      help: 'GraphQL queries and CSV exports by the server that ran their reads: "primary" or a replica\'s host:port',
      labelNames: ['target'] as const,
      registers,
    }),
    replicaLag: new Gauge({
      name: 'database_replica_lag_seconds',
      help: 'How far each read replica was behind the primary at the last poll (absent while it cannot be read)',
      labelNames: ['replica'] as const,
      registers,
      collect() {
        for (const { name, lagMs } of replicaLags()) {
          if (lagMs === null) this.remove({ replica: name });
          else this.set({ replica: name }, lagMs / 1000);
        }
      },
    }),
    /** Where `database_replica_lag_seconds` reads each replica's lag when scraped (the replica set). */
    watchReplicas(source: () => { name: string; lagMs: number | null }[]) {
      replicaLags = source;
    },
    lockWait: new Histogram({
      name: 'lock_wait_seconds',
      help: 'Time spent in statements that take a database lock (advisory locks, SELECT ... FOR UPDATE), mostly waiting for it',
      labelNames: ['lock'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }),
    /**
     * The label for an operation name: the first `maxOperationNames` distinct names as they are, later
     * ones "other"; unnamed operations, and new names that may not claim a label (`admit` false: the
     * operation failed, so the name may be anyone's junk), "anonymous".
     */
    operationLabel(name: string | null | undefined, admit = true): string {
      if (!name) return 'anonymous';
      if (operationNames.has(name)) return name;
      if (!admit) return 'anonymous';
      if (operationNames.size >= maxOperationNames) return 'other';
      operationNames.add(name);
      return name;
    },
  };
}
