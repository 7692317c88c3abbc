// Proves that a database migrated by prisma/migrations is exactly what prisma/schema.prisma describes: the
// expectation is computed from the Prisma datamodel (src/generated/dmmf.json) the way Prisma Migrate would
// write it, and compared line by line with the introspected database, in both directions.
import { readFileSync } from 'node:fs';
import type { DMMF } from '@prisma/generator-helper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../src/infra/database/sql-client.js';
import { createTestDatabase, type TestDatabase } from '../kit/database.js';
import { diffSchema, introspectSchema, schemaLine } from '../kit/introspect.js';

const datamodel = (
  JSON.parse(readFileSync(new URL('../../src/generated/dmmf.json', import.meta.url), 'utf8')) as {
    datamodel: DMMF.Datamodel;
  }
).datamodel;
const schemaPrisma = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');

/** The migrator's bookkeeping table; the datamodel does not describe it (migrator.test.ts does). */
const MIGRATIONS_TABLE = '_prisma_migrations';

/**
 * CHECK constraints cannot be written in schema.prisma, so they are listed here from the migrations.
 * A new CHECK in a migration must be added here and to the rejection cases below.
 */
const CHECKS: Record<string, string[]> = {
  users: ['users_country_check', 'users_email_check', 'users_name_check', 'users_manager_check'],
  weekly_reports: ['weekly_reports_week_check', 'weekly_reports_workdays_check', 'weekly_reports_stress_level_check'],
  hr_metrics: ['hr_metrics_non_negative_check'],
  ops_metrics: ['ops_metrics_non_negative_check'],
  work_schedules: ['work_schedules_time_check'],
  team_meetings: ['team_meetings_duration_check', 'team_meetings_title_check'],
  weekly_summaries: ['weekly_summaries_week_check', 'weekly_summaries_counts_check'],
  viewer_version: ['viewer_version_single_row_check'],
};

/** Functions and triggers cannot be written in schema.prisma either: the ones migrations create. */
const SQL_ONLY = [
  'function user_population_sync()',
  'function user_population_reset()',
  'trigger users_population_sync ON users',
  'trigger users_population_reset ON users',
  'function viewer_version_bump()',
  'trigger users_viewer_version ON users',
];

// ---------------------------------------------------------------------------------------------------
// The expectation: what Prisma Migrate generates for this datamodel on PostgreSQL.

const models = new Map(datamodel.models.map((m) => [m.name, m]));
const enums = new Map(datamodel.enums.map((e) => [e.name, e]));

const tableName = (model: DMMF.Model) => model.dbName ?? model.name;
const columnName = (field: DMMF.Field) => field.dbName ?? field.name;
const enumName = (e: DMMF.DatamodelEnum) => e.dbName ?? e.name;

function modelNamed(name: string): DMMF.Model {
  const model = models.get(name);
  if (!model) throw new Error(`datamodel has no model ${name}`);
  return model;
}

function fieldNamed(model: DMMF.Model, name: string): DMMF.Field {
  const field = model.fields.find((f) => f.name === name);
  if (!field) throw new Error(`model ${model.name} has no field ${name}`);
  return field;
}

function enumNamed(name: string): DMMF.DatamodelEnum {
  const e = enums.get(name);
  if (!e) throw new Error(`datamodel has no enum ${name}`);
  return e;
}

/** PostgreSQL's rule for when an identifier must be quoted (ignoring reserved words, which we do not use). */
const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/** Prisma's default constraint and index names: `<table>_<columns>` cut to fit 63 bytes with the suffix kept. */
const prismaName = (parts: readonly string[], suffix: string) => `${parts.join('_').slice(0, 63 - suffix.length - 1)}_${suffix}`;

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

const withPrecision = (base: string, args: readonly string[], suffix = '') => `${base}${args.length ? `(${args.join(',')})` : ''}${suffix}`;

/** `@db.X(args)` as format_type() prints the column type PostgreSQL creates for it. */
const NATIVE_TYPES: Record<string, (args: readonly string[]) => string> = {
  Text: () => 'text',
  VarChar: (a) => withPrecision('character varying', a),
  Char: (a) => withPrecision('character', a.length ? a : ['1']),
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  BigInt: () => 'bigint',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Decimal: (a) => withPrecision('numeric', a),
  Money: () => 'money',
  Boolean: () => 'boolean',
  Date: () => 'date',
  Timestamp: (a) => withPrecision('timestamp', a, ' without time zone'),
  Timestamptz: (a) => withPrecision('timestamp', a, ' with time zone'),
  Time: (a) => withPrecision('time', a, ' without time zone'),
  Timetz: (a) => withPrecision('time', a, ' with time zone'),
  Uuid: () => 'uuid',
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
  Inet: () => 'inet',
  Citext: () => 'citext',
  Xml: () => 'xml',
  Oid: () => 'oid',
  Bit: (a) => withPrecision('bit', a.length ? a : ['1']),
  VarBit: (a) => withPrecision('bit varying', a),
};

function columnType(field: DMMF.Field): string {
  const list = field.isList ? '[]' : '';
  if (field.kind === 'enum') return `enum ${enumName(enumNamed(field.type))}${list}`;
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    const native = NATIVE_TYPES[name];
    if (!native) throw new Error(`schema-drift test: add the PostgreSQL type of @db.${name} (${field.name})`);
    return native(args) + list;
  }
  const scalar = SCALAR_TYPES[field.type];
  if (!scalar) throw new Error(`schema-drift test: add the PostgreSQL type of ${field.type} (${field.name})`);
  return scalar + list;
}

/** `@default(now())`, `@default(autoincrement())`: a function, as opposed to a literal or a list. */
const isFunctionDefault = (value: DMMF.Field['default']): value is DMMF.FieldDefault =>
  typeof value === 'object' && 'name' in value && 'args' in value;

/** The column default as pg_get_expr() prints it, or null when Prisma writes none (client-side defaults). */
function columnDefault(field: DMMF.Field, table: string, column: string, type: string): string | null {
  const value = field.default;
  if (value === undefined) return null;
  const unsupported = () => new Error(`schema-drift test: add the database default of ${table}.${column} (${JSON.stringify(value)})`);
  if (isFunctionDefault(value)) {
    switch (value.name) {
      case 'autoincrement':
        return `nextval('${quoteIdent(`${table}_${column}_seq`)}'::regclass)`;
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'dbgenerated':
        return String(value.args[0]);
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return null; // generated by Prisma Client, not by the database
      default:
        throw unsupported();
    }
  }
  if (typeof value === 'object') throw unsupported(); // a list default
  if (field.kind === 'enum') {
    const e = enumNamed(field.type);
    const dbValue = e.values.find((v) => v.name === value)?.dbName ?? String(value);
    return `'${dbValue}'::${quoteIdent(enumName(e))}`;
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return value < 0 ? `'${value}'::${type}` : String(value);
  // A BigInt default arrives as its decimal text.
  if (type === 'bigint' && typeof value === 'string' && /^-?[0-9]+$/.test(value))
    return value.startsWith('-') ? `'${value}'::bigint` : value;
  if (type === 'text' || type.startsWith('character')) {
    const cast = type === 'text' ? 'text' : type.startsWith('character varying') ? 'character varying' : 'bpchar';
    return `'${value.replaceAll("'", "''")}'::${cast}`;
  }
  throw unsupported();
}

const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

/** `ops: raw("gin_trgm_ops")` arrives verbatim; Prisma's named classes (JsonbPathOps) in snake case. */
const operatorClass = (name: string) => (/^[A-Z]/.test(name) ? name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase() : name);

/** `extensions = [pg_trgm, uuidOssp(map: "uuid-ossp")]` in the datasource block; plpgsql is always installed. */
function datasourceExtensions(): string[] {
  const list = /datasource\s+\w+\s*\{[^}]*?\bextensions\s*=\s*\[([^\]]*)\]/s.exec(schemaPrisma)?.[1] ?? '';
  const declared = list
    .split(/,(?![^(]*\))/)
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => /map:\s*"([^"]+)"/.exec(entry)?.[1] ?? entry.replace(/\(.*$/s, '').trim());
  return ['plpgsql', ...declared];
}

function expectedSchema(): string[] {
  const lines: string[] = datasourceExtensions().map(schemaLine.extension);

  for (const e of datamodel.enums)
    lines.push(
      schemaLine.enum(
        enumName(e),
        e.values.map((v) => v.dbName ?? v.name),
      ),
    );

  for (const model of datamodel.models) {
    const table = tableName(model);
    lines.push(schemaLine.table(table));
    for (const field of model.fields) {
      if (field.kind !== 'scalar' && field.kind !== 'enum') continue;
      const column = columnName(field);
      const type = columnType(field);
      // Prisma writes scalar lists without NOT NULL.
      const notNull = field.isRequired && !field.isList;
      lines.push(schemaLine.column({ table, name: column, type, notNull, default: columnDefault(field, table, column, type) }));
      if (isFunctionDefault(field.default) && field.default.name === 'autoincrement') {
        lines.push(schemaLine.sequence(`${table}_${column}_seq`, `${table}.${column}`));
      }
    }
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = modelNamed(field.type);
      const columns = field.relationFromFields.map((name) => columnName(fieldNamed(model, name)));
      const required = field.relationFromFields.every((name) => fieldNamed(model, name).isRequired);
      const onDelete = field.relationOnDelete ?? (required ? 'Restrict' : 'SetNull');
      const onUpdate = field.relationOnUpdate ?? 'Cascade';
      lines.push(
        schemaLine.foreignKey({
          table,
          name: prismaName([table, ...columns], 'fkey'),
          columns,
          refTable: tableName(target),
          refColumns: (field.relationToFields ?? []).map((name) => columnName(fieldNamed(target, name))),
          onDelete: ACTIONS[onDelete] ?? onDelete,
          onUpdate: ACTIONS[onUpdate] ?? onUpdate,
        }),
      );
    }
  }

  for (const index of datamodel.indexes) {
    const model = modelNamed(index.model);
    const table = tableName(model);
    const columns = index.fields.map((f) => columnName(fieldNamed(model, f.name)));
    if (index.type === 'id') {
      lines.push(schemaLine.primaryKey(table, index.dbName ?? prismaName([table], 'pkey'), columns));
      continue;
    }
    if (index.type !== 'unique' && index.type !== 'normal') throw new Error(`${index.type} indexes do not exist on PostgreSQL`);
    const unique = index.type === 'unique';
    lines.push(
      schemaLine.index({
        table,
        name: index.dbName ?? prismaName([table, ...columns], unique ? 'key' : 'idx'),
        unique,
        method: index.algorithm?.toLowerCase() ?? 'btree',
        columns: index.fields.map(
          (f, i) =>
            `${columns[i]}${f.operatorClass ? ` ${operatorClass(f.operatorClass)}` : ''}${f.sortOrder === 'desc' ? ' DESC NULLS LAST' : ''}`,
        ),
      }),
    );
  }

  lines.push(...implicitManyToManyTables());

  for (const [table, names] of Object.entries(CHECKS)) lines.push(...names.map((name) => schemaLine.check(table, name)));
  lines.push(...SQL_ONLY);

  return lines.sort();
}

/** A relation with a list on both sides and no foreign key fields gets a join table `_<RelationName>`. */
function implicitManyToManyTables(): string[] {
  const sides = new Map<string, DMMF.Model[]>();
  for (const model of datamodel.models) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.isList || field.relationFromFields?.length || !field.relationName) continue;
      const target = modelNamed(field.type);
      const back = target.fields.find((f) => f.relationName === field.relationName && f !== field);
      // A one-to-many back side (`User[]` opposite `User?`) has a single, non-list field.
      if (back && !back.isList) continue;
      sides.set(field.relationName, [...(sides.get(field.relationName) ?? []), model]);
    }
  }
  const lines: string[] = [];
  for (const [relation, both] of sides) {
    const table = `_${relation}`;
    // Column A references the model whose name sorts first.
    const [a, b] = [...both].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) as [DMMF.Model, DMMF.Model];
    lines.push(schemaLine.table(table));
    for (const [column, model] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const id = model.fields.find((f) => f.isId);
      if (!id) throw new Error(`implicit many-to-many ${relation}: ${model.name} needs a single @id`);
      lines.push(schemaLine.column({ table, name: column, type: columnType(id), notNull: true, default: null }));
      lines.push(
        schemaLine.foreignKey({
          table,
          name: prismaName([table, column], 'fkey'),
          columns: [column],
          refTable: tableName(model),
          refColumns: [columnName(id)],
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        }),
      );
    }
    lines.push(schemaLine.primaryKey(table, `${table}_AB_pkey`, ['A', 'B']));
    lines.push(schemaLine.index({ table, name: `${table}_B_index`, unique: false, method: 'btree', columns: ['B'] }));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.destroy();
});

const introspect = (sql: SqlClient) => introspectSchema(sql, { ignoreTables: [MIGRATIONS_TABLE] });

describe('the migrated database', () => {
  it('matches schema.prisma exactly: nothing missing, nothing extra', async () => {
    expect(diffSchema(expectedSchema(), await introspect(db.sql))).toEqual({ missing: [], unexpected: [] });
  });

  it("derives Prisma's conventions from the datamodel (spot checks)", () => {
    // The derivation is generic; these lines show what it produces, and keep it from drifting into leniency.
    const expected = expectedSchema();
    expect(expected).toEqual(
      expect.arrayContaining([
        'column users.country character(2) NOT NULL',
        "column users.id integer NOT NULL DEFAULT nextval('users_id_seq'::regclass)",
        'column users.role enum Role NOT NULL DEFAULT \'EMPLOYEE\'::"Role"',
        'column users.manager_id integer NULL',
        'column weekly_reports.week character varying(8) NOT NULL',
        'column weekly_reports.stress_level smallint NOT NULL',
        'column work_schedules.date date NOT NULL',
        'column work_schedules.remote boolean NOT NULL DEFAULT false',
        'column hr_metrics.hires integer NOT NULL DEFAULT 0',
        'column users.created_at timestamp(3) with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP',
        'enum Role (EMPLOYEE, MANAGER, ANALYST, ADMIN)',
        'extension pg_trgm',
        'index users_name_trgm_idx ON users USING gin (name gin_trgm_ops)',
        'unique index weekly_reports_user_id_week_key ON weekly_reports USING btree (user_id, week)',
        'foreign key users_manager_id_fkey ON users (manager_id) REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE',
        'table _MeetingAttendees',
        'primary key _MeetingAttendees_AB_pkey ON _MeetingAttendees (A, B)',
        'index _MeetingAttendees_B_index ON _MeetingAttendees USING btree (B)',
        'foreign key _MeetingAttendees_A_fkey ON _MeetingAttendees (A) REFERENCES team_meetings (id) ON DELETE CASCADE ON UPDATE CASCADE',
        'foreign key _MeetingAttendees_B_fkey ON _MeetingAttendees (B) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE',
      ]),
    );
    // Every model is covered, and the datamodel has no composite types the expectation would ignore.
    for (const model of datamodel.models) expect(expected).toContain(schemaLine.table(tableName(model)));
    expect(datamodel.types).toEqual([]);
  });
});

describe('CHECK constraints', () => {
  const now = new Date().toISOString();
  let userId: number;
  let reportId: number;

  const insert = async (table: string, row: Record<string, unknown>) => {
    const columns = Object.keys(row);
    const [inserted] = await db.sql.query<{ id?: number; report_id?: number }>(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
      Object.values(row),
    );
    return inserted!;
  };
  const user = (over: Record<string, unknown> = {}) => ({
    email: 'ada@example.com',
    name: 'Ada',
    city: 'Berlin',
    country: 'DE',
    updated_at: now,
    ...over,
  });
  const report = (over: Record<string, unknown> = {}) => ({
    user_id: userId,
    week: '2026-W10',
    workdays: 5,
    stress_level: 3,
    highlights: 'shipped',
    updated_at: now,
    ...over,
  });
  const schedule = (over: Record<string, unknown> = {}) => ({
    user_id: userId,
    date: '2026-03-02',
    starts_at: '2026-03-02T09:00:00Z',
    ends_at: '2026-03-02T17:00:00Z',
    ...over,
  });
  const meeting = (over: Record<string, unknown> = {}) => ({
    title: 'Weekly sync',
    starts_at: '2026-03-02T10:00:00Z',
    duration_minutes: 30,
    city: 'Berlin',
    organizer_id: userId,
    ...over,
  });

  beforeAll(async () => {
    userId = (await insert('users', user())).id!;
    // Valid rows at the edges of every range are accepted.
    reportId = (await insert('weekly_reports', report({ week: '2026-W53', workdays: 0, stress_level: 10 }))).id!;
    await insert('weekly_reports', report({ week: '2026-W01', workdays: 7, stress_level: 1 }));
    await insert('hr_metrics', { report_id: reportId, hires: 0 });
    await insert('ops_metrics', { report_id: reportId, incidents: 0 });
    await insert('work_schedules', schedule());
    await insert('team_meetings', meeting({ duration_minutes: 1440 }));
    await insert('users', user({ email: 'grace@example.com', manager_id: userId }));
  });

  // [check, what is wrong, table, row]
  const rejected: [string, string, string, () => Record<string, unknown>][] = [
    ['users_country_check', "country 'xx'", 'users', () => user({ country: 'xx' })],
    ['users_email_check', "email 'not-an-email'", 'users', () => user({ email: 'not-an-email' })],
    ['users_name_check', 'a blank name', 'users', () => user({ name: '   ' })],
    ['users_manager_check', 'a user managing themself', 'users', () => user({ id: 100_000, manager_id: 100_000 })],
    ['weekly_reports_week_check', "week '2026-W99'", 'weekly_reports', () => report({ week: '2026-W99' })],
    ['weekly_reports_week_check', "week '2026-W00'", 'weekly_reports', () => report({ week: '2026-W00' })],
    ['weekly_reports_week_check', "week '2026-10'", 'weekly_reports', () => report({ week: '2026-10' })],
    ['weekly_reports_workdays_check', 'workdays 8', 'weekly_reports', () => report({ workdays: 8 })],
    ['weekly_reports_workdays_check', 'workdays -1', 'weekly_reports', () => report({ workdays: -1 })],
    ['weekly_reports_stress_level_check', 'stress_level 11', 'weekly_reports', () => report({ stress_level: 11 })],
    ['weekly_reports_stress_level_check', 'stress_level 0', 'weekly_reports', () => report({ stress_level: 0 })],
    ['hr_metrics_non_negative_check', 'hires -1', 'hr_metrics', () => ({ report_id: reportId, hires: -1 })],
    ['ops_metrics_non_negative_check', 'incidents -1', 'ops_metrics', () => ({ report_id: reportId, incidents: -1 })],
    [
      'work_schedules_time_check',
      'a schedule ending when it starts',
      'work_schedules',
      () => schedule({ date: '2026-03-03', starts_at: '2026-03-03T10:00:00Z', ends_at: '2026-03-03T10:00:00Z' }),
    ],
    ['team_meetings_duration_check', 'duration_minutes 0', 'team_meetings', () => meeting({ duration_minutes: 0 })],
    ['team_meetings_duration_check', 'duration_minutes 1441', 'team_meetings', () => meeting({ duration_minutes: 1441 })],
    ['team_meetings_title_check', 'a blank title', 'team_meetings', () => meeting({ title: ' ' })],
    ['weekly_summaries_week_check', "week '2026-W54'", 'weekly_summaries', () => ({ week: '2026-W54', updated_at: now })],
    ['weekly_summaries_counts_check', 'version 0', 'weekly_summaries', () => ({ week: '2026-W02', version: 0, updated_at: now })],
    ['viewer_version_single_row_check', 'a second row', 'viewer_version', () => ({ id: 2 })],
  ];

  it('has a rejection case for every CHECK constraint listed', () => {
    expect(new Set(rejected.map(([check]) => check))).toEqual(new Set(Object.values(CHECKS).flat()));
  });

  it.each(rejected)('%s rejects %s', async (check, _what, table, row) => {
    await expect(insert(table, row())).rejects.toThrow(`violates check constraint "${check}"`);
  });

  it('left the valid rows in place', async () => {
    const [counts] = await db.sql.query(
      `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM weekly_reports) AS reports,
              (SELECT count(*)::int FROM team_meetings) AS meetings, (SELECT count(*)::int FROM work_schedules) AS schedules`,
    );
    expect(counts).toEqual({ users: 2, reports: 2, meetings: 1, schedules: 1 });
  });
});

describe('the comparison itself', () => {
  it('reports a database that drifted from schema.prisma', async () => {
    const rollback = new Error('rollback');
    let drifted: string[] = [];
    // Drift on purpose inside a transaction and roll it back, so the database stays as migrated.
    await db.sql
      .transaction(async (tx) => {
        await tx.exec(`
          CREATE INDEX users_active_idx ON users (active);
          ALTER TABLE weekly_reports ADD COLUMN mood text;
          ALTER TABLE users ALTER COLUMN active DROP DEFAULT;
          ALTER TABLE work_schedules DROP CONSTRAINT work_schedules_user_id_fkey;
          ALTER TABLE weekly_reports DROP CONSTRAINT weekly_reports_workdays_check;
          ALTER TYPE "Role" ADD VALUE 'INTERN';
          CREATE TABLE audit_log (id integer);
        `);
        drifted = await introspect(tx);
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });

    expect(diffSchema(expectedSchema(), drifted)).toEqual({
      missing: [
        'check weekly_reports_workdays_check ON weekly_reports',
        'column users.active boolean NOT NULL DEFAULT true',
        'enum Role (EMPLOYEE, MANAGER, ANALYST, ADMIN)',
        'foreign key work_schedules_user_id_fkey ON work_schedules (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE',
      ],
      unexpected: [
        'column audit_log.id integer NULL',
        'column users.active boolean NOT NULL',
        'column weekly_reports.mood text NULL',
        'enum Role (EMPLOYEE, MANAGER, ANALYST, ADMIN, INTERN)',
        'index users_active_idx ON users USING btree (active)',
        'table audit_log',
      ],
    });
    // And the rollback really restored the migrated schema.
    expect(diffSchema(expectedSchema(), await introspect(db.sql))).toEqual({ missing: [], unexpected: [] });
  });
});
