// Reads a database's schema through the SqlClient as sorted one-line descriptions
// (`column users.country character(2) NOT NULL`), so a failed comparison shows exactly what drifted.
import type { SqlClient } from '../../src/infra/database/sql-client.js';

/** The one-line formats, shared by the introspection and by expectations built elsewhere (schema-drift test). */
export const schemaLine = {
  extension: (name: string) => `extension ${name}`,
  enum: (name: string, values: readonly string[]) => `enum ${name} (${values.join(', ')})`,
  table: (name: string) => `table ${name}`,
  column: (c: { table: string; name: string; type: string; notNull: boolean; default: string | null; extra?: string }) =>
    `column ${c.table}.${c.name} ${c.type} ${c.notNull ? 'NOT NULL' : 'NULL'}` +
    (c.default === null ? '' : ` DEFAULT ${c.default}`) +
    (c.extra ? ` ${c.extra}` : ''),
  sequence: (name: string, ownedBy: string | null) => `sequence ${name}${ownedBy ? ` OWNED BY ${ownedBy}` : ''}`,
  primaryKey: (table: string, name: string, columns: readonly string[]) => `primary key ${name} ON ${table} (${columns.join(', ')})`,
  foreignKey: (fk: {
    table: string;
    name: string;
    columns: readonly string[];
    refTable: string;
    refColumns: readonly string[];
    onDelete: string;
    onUpdate: string;
  }) =>
    `foreign key ${fk.name} ON ${fk.table} (${fk.columns.join(', ')}) REFERENCES ${fk.refTable} (${fk.refColumns.join(', ')}) ` +
    `ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`,
  /** `columns` are key columns as written in CREATE INDEX: `name`, `name gin_trgm_ops`, `created_at DESC`. */
  index: (ix: { table: string; name: string; unique: boolean; method: string; columns: readonly string[]; suffix?: string }) =>
    `${ix.unique ? 'unique index' : 'index'} ${ix.name} ON ${ix.table} USING ${ix.method} (${ix.columns.join(', ')})${ix.suffix ?? ''}`,
  check: (table: string, name: string) => `check ${name} ON ${table}`,
};

export interface IntrospectOptions {
  /** Tables left out, with everything attached to them (e.g. `_prisma_migrations`). */
  ignoreTables?: readonly string[];
}

interface Line {
  table: string | null;
  line: string;
}

/**
 * Describes every object in the database that a schema could explain: extensions, extra schemas, and in
 * `public` enums and other types, tables, columns, sequences, constraints, indexes, views, functions,
 * triggers and policies. Objects that belong to an extension (pg_trgm's functions) are left out.
 */
export async function introspectSchema(sql: SqlClient, options: IntrospectOptions = {}): Promise<string[]> {
  const ignored = new Set(options.ignoreTables ?? []);
  const lines: Line[] = [];
  // One after the other: `sql` may be a single connection (a transaction, PGlite).
  for (const read of [extensionsAndSchemas, enumsAndTypes, relations, columns, constraints, indexes, routinesAndTriggers]) {
    lines.push(...(await read(sql)));
  }
  return lines
    .filter((l) => l.table === null || !ignored.has(l.table))
    .map((l) => l.line)
    .sort();
}

/** What `expected` lacks and what `actual` has on top, in the one-line format. */
export function diffSchema(expected: readonly string[], actual: readonly string[]): { missing: string[]; unexpected: string[] } {
  const want = new Set(expected);
  const have = new Set(actual);
  return {
    missing: expected.filter((l) => !have.has(l)).sort(),
    unexpected: actual.filter((l) => !want.has(l)).sort(),
  };
}

/** Leaves out objects created by an extension (their pg_depend row has deptype 'e'). */
const NOT_FROM_EXTENSION = (oid: string, catalog: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

async function extensionsAndSchemas(sql: SqlClient): Promise<Line[]> {
  const extensions = await sql.query<{ name: string }>('SELECT extname::text AS name FROM pg_extension');
  const schemas = await sql.query<{ name: string }>(
    `SELECT nspname::text AS name FROM pg_namespace
     WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')`,
  );
  return [
    ...extensions.map((e) => ({ table: null, line: schemaLine.extension(e.name) })),
    ...schemas.map((s) => ({ table: null, line: `schema ${s.name}` })),
  ];
}

async function enumsAndTypes(sql: SqlClient): Promise<Line[]> {
  const enums = await sql.query<{ name: string; labels: string }>(
    `SELECT t.typname::text AS name, string_agg(e.enumlabel::text, E'\\n' ORDER BY e.enumsortorder) AS labels
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE n.nspname = 'public'
     GROUP BY t.typname`,
  );
  // Domains, ranges and stand-alone base types; table row types and array types are implied by their owners.
  const types = await sql.query<{ name: string; kind: string }>(
    `SELECT t.typname::text AS name, t.typtype::text AS kind
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public'
       AND (t.typtype IN ('d', 'r', 'm') OR (t.typtype = 'b' AND t.typcategory <> 'A'))
       AND ${NOT_FROM_EXTENSION('t.oid', 'pg_type')}`,
  );
  const kinds: Record<string, string> = { d: 'domain', r: 'range type', m: 'multirange type', b: 'base type' };
  return [
    ...enums.map((e) => ({ table: null, line: schemaLine.enum(e.name, e.labels.split('\n')) })),
    ...types.map((t) => ({ table: null, line: `${kinds[t.kind] ?? 'type'} ${t.name}` })),
  ];
}

async function relations(sql: SqlClient): Promise<Line[]> {
  const rows = await sql.query<{
    name: string;
    kind: string;
    row_security: boolean;
    owner_table: string | null;
    owner_column: string | null;
  }>(
    `SELECT c.relname::text AS name, c.relkind::text AS kind, c.relrowsecurity AS row_security,
            owner.relname::text AS owner_table, a.attname::text AS owner_column
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_depend d ON c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid
       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
     LEFT JOIN pg_class owner ON owner.oid = d.refobjid
     LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c')
       AND ${NOT_FROM_EXTENSION('c.oid', 'pg_class')}`,
  );
  const kinds: Record<string, string> = {
    p: 'partitioned table',
    v: 'view',
    m: 'materialized view',
    f: 'foreign table',
    c: 'composite type',
  };
  return rows.map((r) => {
    if (r.kind === 'r') {
      return { table: r.name, line: schemaLine.table(r.name) + (r.row_security ? ' WITH ROW LEVEL SECURITY' : '') };
    }
    if (r.kind === 'S') {
      const owner = r.owner_table && r.owner_column ? `${r.owner_table}.${r.owner_column}` : null;
      return { table: r.owner_table, line: schemaLine.sequence(r.name, owner) };
    }
    return { table: null, line: `${kinds[r.kind] ?? `relation(${r.kind})`} ${r.name}` };
  });
}

async function columns(sql: SqlClient): Promise<Line[]> {
  // format_type gives the type as written in DDL (`character(2)`, `timestamp(3) with time zone`); enums are
  // spelled `enum Name` so that the expectation need not know PostgreSQL's identifier quoting.
  const rows = await sql.query<{
    table: string;
    name: string;
    type: string;
    not_null: boolean;
    default: string | null;
    identity: string;
    generated: string;
  }>(
    `SELECT c.relname::text AS table, a.attname::text AS name,
            CASE WHEN t.typtype = 'e' THEN 'enum ' || t.typname
                 WHEN et.typtype = 'e' THEN 'enum ' || et.typname || '[]'
                 ELSE format_type(a.atttypid, a.atttypmod) END AS type,
            a.attnotnull AS not_null, pg_get_expr(ad.adbin, ad.adrelid) AS default,
            a.attidentity::text AS identity, a.attgenerated::text AS generated
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  return rows.map((r) => {
    const generated = r.generated === 's';
    const extra =
      r.identity === 'a'
        ? 'GENERATED ALWAYS AS IDENTITY'
        : r.identity === 'd'
          ? 'GENERATED BY DEFAULT AS IDENTITY'
          : generated
            ? `GENERATED ALWAYS AS (${r.default}) STORED`
            : undefined;
    return {
      table: r.table,
      line: schemaLine.column({
        table: r.table,
        name: r.name,
        type: r.type,
        notNull: r.not_null,
        default: generated ? null : r.default,
        ...(extra ? { extra } : {}),
      }),
    };
  });
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

async function constraints(sql: SqlClient): Promise<Line[]> {
  // Column lists come back joined with newlines: node-postgres and PGlite parse `name[]` differently.
  const columnList = (key: string, rel: string) =>
    `(SELECT string_agg(a.attname::text, E'\\n' ORDER BY k.ord)
      FROM unnest(con.${key}) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = con.${rel} AND a.attnum = k.attnum)`;
  const rows = await sql.query<{
    name: string;
    type: string;
    table: string;
    columns: string | null;
    ref_table: string | null;
    ref_columns: string | null;
    on_delete: string;
    on_update: string;
    deferrable: boolean;
    definition: string;
  }>(
    `SELECT con.conname::text AS name, con.contype::text AS type, c.relname::text AS table,
            ${columnList('conkey', 'conrelid')} AS columns,
            rc.relname::text AS ref_table, ${columnList('confkey', 'confrelid')} AS ref_columns,
            con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update, con.condeferrable AS deferrable,
            pg_get_constraintdef(con.oid) AS definition
     FROM pg_constraint con
     JOIN pg_namespace n ON n.oid = con.connamespace
     JOIN pg_class c ON c.oid = con.conrelid
     LEFT JOIN pg_class rc ON rc.oid = con.confrelid
     WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f', 'c', 'x')`,
  );
  return rows.map((r) => {
    const cols = r.columns?.split('\n') ?? [];
    const deferrable = r.deferrable ? ' DEFERRABLE' : '';
    switch (r.type) {
      case 'p':
        return { table: r.table, line: schemaLine.primaryKey(r.table, r.name, cols) + deferrable };
      case 'f':
        return {
          table: r.table,
          line:
            schemaLine.foreignKey({
              table: r.table,
              name: r.name,
              columns: cols,
              refTable: r.ref_table ?? '?',
              refColumns: r.ref_columns?.split('\n') ?? [],
              onDelete: REFERENTIAL_ACTIONS[r.on_delete] ?? r.on_delete,
              onUpdate: REFERENTIAL_ACTIONS[r.on_update] ?? r.on_update,
            }) + deferrable,
        };
      case 'c':
        return { table: r.table, line: schemaLine.check(r.table, r.name) };
      default:
        // UNIQUE and EXCLUDE constraints: Prisma writes unique indexes instead, so these are always drift.
        return { table: r.table, line: `constraint ${r.name} ON ${r.table} ${r.definition}` };
    }
  });
}

async function indexes(sql: SqlClient): Promise<Line[]> {
  // One row per index column; indexes that implement a constraint are described by the constraint.
  const rows = await sql.query<{
    name: string;
    table: string;
    method: string;
    unique: boolean;
    predicate: string | null;
    position: number;
    key_count: number;
    column: string;
    opclass: string | null;
    option: number | null;
  }>(
    `SELECT i.relname::text AS name, c.relname::text AS table, am.amname::text AS method, ix.indisunique AS unique,
            pg_get_expr(ix.indpred, ix.indrelid) AS predicate, k.ord::int AS position, ix.indnkeyatts::int AS key_count,
            CASE WHEN k.attnum = 0 THEN pg_get_indexdef(ix.indexrelid, k.ord::int, true) ELSE a.attname::text END AS column,
            CASE WHEN opc.opcdefault THEN NULL ELSE opc.opcname::text END AS opclass,
            ix.indoption[(k.ord - 1)::int]::int AS option
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class c ON c.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_am am ON am.oid = i.relam
     CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
     LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
     LEFT JOIN pg_opclass opc ON opc.oid = ix.indclass[(k.ord - 1)::int]
     WHERE n.nspname = 'public'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x'))
     ORDER BY i.relname, k.ord`,
  );
  const byIndex = new Map<string, typeof rows>();
  for (const row of rows) byIndex.set(row.name, [...(byIndex.get(row.name) ?? []), row]);
  return [...byIndex.values()].map((cols) => {
    const first = cols[0]!;
    const keys = cols.filter((c) => c.position <= c.key_count).map(indexKey);
    const included = cols.filter((c) => c.position > c.key_count).map((c) => c.column);
    const suffix = (included.length ? ` INCLUDE (${included.join(', ')})` : '') + (first.predicate ? ` WHERE ${first.predicate}` : '');
    return {
      table: first.table,
      line: schemaLine.index({
        table: first.table,
        name: first.name,
        unique: first.unique,
        method: first.method,
        columns: keys,
        suffix,
      }),
    };
  });
}

/** A key column as CREATE INDEX would spell it; indoption bit 1 is DESC, bit 2 NULLS FIRST. */
function indexKey(c: { column: string; opclass: string | null; option: number | null }): string {
  const desc = ((c.option ?? 0) & 1) === 1;
  const nullsFirst = ((c.option ?? 0) & 2) === 2;
  const order = desc ? (nullsFirst ? ' DESC' : ' DESC NULLS LAST') : nullsFirst ? ' NULLS FIRST' : '';
  return `${c.column}${c.opclass ? ` ${c.opclass}` : ''}${order}`;
}

async function routinesAndTriggers(sql: SqlClient): Promise<Line[]> {
  const routines = await sql.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND ${NOT_FROM_EXTENSION('p.oid', 'pg_proc')}`,
  );
  const triggers = await sql.query<{ name: string; table: string }>(
    `SELECT t.tgname::text AS name, c.relname::text AS table
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
  );
  const policies = await sql.query<{ name: string; table: string }>(
    `SELECT policyname::text AS name, tablename::text AS table FROM pg_policies WHERE schemaname = 'public'`,
  );
  return [
    ...routines.map((r) => ({ table: null, line: `function ${r.signature}` })),
    ...triggers.map((t) => ({ table: t.table, line: `trigger ${t.name} ON ${t.table}` })),
    ...policies.map((p) => ({ table: p.table, line: `policy ${p.name} ON ${p.table}` })),
  ];
}
