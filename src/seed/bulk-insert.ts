// Bulk inserts: each batch is one INSERT ... SELECT FROM unnest($1::int[], ...) statement, its own transaction.
import type { SqlClient } from '../infra/database/sql-client.js';

interface Column {
  name: string;
  /** PostgreSQL type of the parameter's elements. */
  type: string;
  /** The value stored, when not the parameter itself; `v` stands for it. */
  value?: string;
}

/** Timestamps travel as epoch seconds. */
export const EPOCH_SECONDS = { type: 'float8', value: 'to_timestamp(v)' } as const;

/** Column-wise rows for one table, sent as one array parameter per column. */
export class Rows {
  columns: unknown[][];
  constructor(
    readonly table: string,
    readonly spec: readonly Column[],
  ) {
    this.columns = spec.map(() => []);
  }
  get length(): number {
    return this.columns[0]!.length;
  }
  push(...values: unknown[]): void {
    for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]);
  }
  take(): unknown[][] {
    const taken = this.columns;
    this.columns = this.spec.map(() => []);
    return taken;
  }
  /** `INSERT INTO table (...) SELECT ... FROM unnest($first::type[], ...)`. */
  insertSql(firstParam: number): string {
    const names = this.spec.map((c) => `"${c.name}"`);
    const values = this.spec.map((c) => (c.value ? c.value.replace(/\bv\b/g, `r."${c.name}"`) : `r."${c.name}"`));
    const params = this.spec.map((c, i) => `$${firstParam + i}::${c.type}[]`);
    return (
      `INSERT INTO "${this.table}" (${names.join(', ')}) ` +
      `SELECT ${values.join(', ')} FROM unnest(${params.join(', ')}) AS r(${names.join(', ')})`
    );
  }
}

/** Several tables' rows in one statement (data-modifying CTEs), so a report and its metrics land together. */
export function insertStatement(...tables: Rows[]): { text: string; params: unknown[][] } {
  let param = 1;
  const inserts = tables.map((rows) => {
    const text = rows.insertSql(param);
    param += rows.spec.length;
    return text;
  });
  const last = inserts.pop()!;
  const text = inserts.length ? `WITH ${inserts.map((s, i) => `t${i} AS (${s})`).join(', ')} ${last}` : last;
  return { text, params: tables.flatMap((rows) => rows.take()) };
}

/** Runs up to `parallel` statements at once; the first failure is rethrown once the others have settled. */
export class StatementQueue {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  constructor(
    private readonly sql: SqlClient,
    private readonly parallel: number,
  ) {}
  /** Resolves once the statement has started (waiting for a free slot); `done` runs when it has succeeded. */
  async push(text: string, params: readonly unknown[], done?: () => void): Promise<void> {
    while (this.running.size >= this.parallel && !this.failure) await Promise.race(this.running);
    if (this.failure) return this.drain();
    const run: Promise<void> = this.sql.query(text, params).then(
      () => {
        this.running.delete(run);
        done?.();
      },
      (error: unknown) => {
        this.running.delete(run);
        this.failure ??= { error };
      },
    );
    this.running.add(run);
  }
  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }
}

export function percent(done: number, total: number): string {
  return `${done}/${total} (${total ? Math.floor((done / total) * 100) : 100}%)`;
}
