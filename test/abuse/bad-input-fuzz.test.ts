// Bad input is a 4xx with a stable code, never a 500: every argument of every root Query and Mutation field,
// walked from the schema (nested input fields and list items included), the cursors of nested connections and
// every query parameter of the CSV export get NUL and control characters, 100 kB and 900 kB strings, numbers
// beyond Int, global ids beyond the int4 id column and malformed cursors (taken from real ones and broken).
// Each answer has errors with a stable extensions.code (BAD_USER_INPUT naming the field for strings), nothing
// is logged as an unexpected error, and no rejected mutation wrote anything.
import { Writable } from 'node:stream';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
} from 'graphql';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { ORIGIN, type GraphQLResponse } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { globalId } from '../kit/global-id.js';
import { TEAM_END_WEEK } from '../kit/scenarios.js';
import { setupTestApi } from '../kit/setup-test-api.js';

/** Unexpected errors as logged (with their Prisma stacks), by use-error-codes.ts: bad input never is one. */
let loggedErrors: string[] = [];
const logger = pino(
  { level: 'error' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line && (JSON.parse(line) as { msg?: string }).msg === 'unexpected error') loggedErrors.push(line.slice(0, 300));
      }
      done();
    },
  }),
);

const { api, team } = setupTestApi({ logger, team: { users: 30, weeks: 3 } });
let managerId: number;
let scheduleId: number;
let meetingId: number;
/** A real cursor of each connection field, by coordinate (`Query.users`, `User.reports`). */
const realCursors = new Map<string, string>();

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** Codes a refusal may carry; INTERNAL_SERVER_ERROR is never one of them. */
const REFUSALS = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND', 'QUERY_TOO_COMPLEX']);

// ---- the schema, walked ------------------------------------------------------------------------------------

/** An enum value in a literal is written bare. */
class EnumName {
  constructor(readonly name: string) {}
  toJSON() {
    return this.name;
  }
}

/** One leaf an argument can carry: `filter.city`, `input.hrMetrics.hires`, `ids.0`. */
interface Slot {
  /** `Query.users`, `User.reports`, `Mutation.submitWeeklyReport`. */
  owner: string;
  field: GraphQLField<unknown, unknown>;
  /** Argument name, then input field names; `0` for a list item. */
  path: string[];
  leaf: GraphQLNamedType;
  /** The leaf's coordinate (`UserFilter.city`, `Query.users(after)`): what valid values are looked up by. */
  coordinate: string;
  /** True when the leaf is an item of a list. */
  inList: boolean;
}

function slotsOf(owner: string, field: GraphQLField<unknown, unknown>): Slot[] {
  const slots: Slot[] = [];
  const walk = (type: GraphQLInputType, path: string[], coordinate: string, inList: boolean) => {
    if (isNonNullType(type)) return walk(type.ofType, path, coordinate, inList);
    if (isListType(type)) return walk(type.ofType as GraphQLInputType, [...path, '0'], coordinate, true);
    if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) walk(f.type, [...path, f.name], `${type.name}.${f.name}`, inList);
      return;
    }
    slots.push({ owner, field, path, leaf: getNamedType(type), coordinate, inList });
  };
  for (const arg of field.args) walk(arg.type, [arg.name], `${owner}(${arg.name})`, false);
  return slots;
}

// ---- valid values, so that the fuzzed leaf is the only thing wrong --------------------------------------------

function validLeaf(leaf: GraphQLNamedType, coordinate: string): unknown {
  const byCoordinate: Record<string, unknown> = {
    'UserFilter.country': 'DE',
    'UserFilter.search': 'Person',
    'WeeklyReportFilter.country': 'DE',
    'DashboardFilter.country': 'DE',
    'ExportFilter.country': 'DE',
    'SubmitWeeklyReportInput.week': '2025-W10',
    'SubmitWeeklyReportInput.highlights': 'Shipped the fuzz test',
    'CreateTeamMeetingInput.title': 'Fuzz sync',
    'CreateTeamMeetingInput.durationMinutes': 30,
    'CreateWorkScheduleInput.startsAt': '2026-11-26T09:00:00Z',
    'CreateWorkScheduleInput.endsAt': '2026-11-26T17:00:00Z',
    'UpdateWorkScheduleInput.id': globalId('WorkSchedule', scheduleId),
    'DeleteWorkScheduleInput.id': globalId('WorkSchedule', scheduleId),
    'UpdateTeamMeetingAttendanceInput.meetingId': globalId('TeamMeeting', meetingId),
  };
  if (coordinate in byCoordinate) return byCoordinate[coordinate];
  if (isEnumType(leaf)) return new EnumName(leaf.getValues()[0]!.name);
  const byType: Record<string, unknown> = {
    String: 'Berlin',
    ID: globalId('User', team.adminId),
    Int: 1,
    Float: 1,
    Boolean: false,
    IsoWeek: TEAM_END_WEEK,
    Date: '2026-11-26',
    DateTime: '2026-11-26T09:00:00Z',
  };
  if (!(leaf.name in byType)) throw new Error(`no valid value for ${coordinate} (${leaf.name}): add one to the fuzz`);
  return byType[leaf.name];
}

/** The required part of a value of `type` (fields with defaults and optional ones left out). */
function validValue(type: GraphQLInputType, coordinate: string): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, coordinate);
  if (isListType(type)) return [];
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter(isRequired)
        .map((f) => [f.name, validValue(f.type, `${type.name}.${f.name}`)]),
    );
  }
  return validLeaf(getNamedType(type), coordinate);
}

function isRequired(input: GraphQLArgument | GraphQLInputField): boolean {
  return isNonNullType(input.type) && input.defaultValue === undefined;
}

/** `value` set at `path` inside a valid value of `type`. */
function withValueAt(type: GraphQLInputType, coordinate: string, path: string[], value: unknown): unknown {
  if (!path.length) return value;
  if (isNonNullType(type)) return withValueAt(type.ofType, coordinate, path, value);
  const [head, ...rest] = path;
  if (isListType(type)) return [withValueAt(type.ofType as GraphQLInputType, coordinate, rest, value)];
  if (isInputObjectType(type)) {
    const field = type.getFields()[head!]!;
    return { ...(validValue(type, coordinate) as object), [head!]: withValueAt(field.type, `${type.name}.${head}`, rest, value) };
  }
  throw new Error(`cannot descend into ${String(type)} at ${path.join('.')}`);
}

/** The field's arguments: the required ones valid, the slot's leaf set to `value`. */
function argumentsFor(slot: Slot, value: unknown): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const arg of slot.field.args) {
    const coordinate = `${slot.owner}(${arg.name})`;
    if (arg.name === slot.path[0]) args[arg.name] = withValueAt(arg.type, coordinate, slot.path.slice(1), value);
    else if (isRequired(arg)) args[arg.name] = validValue(arg.type, coordinate);
  }
  return args;
}

function literal(value: unknown): string {
  if (value instanceof EnumName) return value.name;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')} }`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Enum values travel as their names in variables. */
const asVariables = (args: Record<string, unknown>) => JSON.parse(JSON.stringify(args)) as Record<string, unknown>;

/** Enough of a selection that the field's resolvers (and a connection's page query) run. */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  return 'edges' in type.getFields() ? '{ __typename edges { cursor } }' : '{ __typename }';
}

/** How a query reaches an object type's fields (root fields are reached directly). */
const REACH: Record<string, (inner: string) => string> = {
  // A manager, so that directReports, reports and workSchedules all have rows (and real cursors).
  User: (inner) => `users(first: 1, filter: { role: MANAGER }) { edges { node { ${inner} } } }`,
  TeamMeeting: (inner) => `teamMeetings(first: 1) { edges { node { ${inner} } } }`,
};

function operationFor(slot: Slot, args: Record<string, unknown>, inline: boolean): { query: string; variables?: Record<string, unknown> } {
  const [parent] = slot.owner.split('.') as [string];
  const given = slot.field.args.filter((a) => a.name in args);
  const call = given.length ? `(${given.map((a) => `${a.name}: ${inline ? literal(args[a.name]) : `$${a.name}`}`).join(', ')})` : '';
  const selection = `${slot.field.name}${call} ${selectionOf(slot.field)}`;
  const body = parent === 'Query' || parent === 'Mutation' ? selection : REACH[parent]!(selection);
  const declarations = inline || !given.length ? '' : `(${given.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})`;
  const query = `${parent === 'Mutation' ? 'mutation' : 'query'} Fuzz${declarations} { ${body} }`;
  return inline ? { query } : { query, variables: asVariables(args) };
}

// ---- bad values ------------------------------------------------------------------------------------------

interface BadValue {
  label: string;
  value: unknown;
  /** Also sent inline in the document (small values only). */
  inline?: boolean;
  /** A bad string: must be refused as BAD_USER_INPUT naming the field (String and ID leaves). */
  namesField?: boolean;
  /** Valid, only extreme: may be answered, just never with an error that is not a refusal. */
  mayPass?: boolean;
}

const BAD_STRINGS: BadValue[] = [
  { label: 'NUL', value: '\u0000', inline: true },
  { label: 'NUL inside', value: 'Ber\u0000lin', inline: true },
  { label: 'control characters', value: 'a\u0001\u0008\u001b[2J\u007f', inline: true },
  { label: 'C1 control characters', value: 'a\u0085b\u009f' },
  { label: 'lone surrogate', value: 'a\ud800b' },
  { label: '100 kB', value: 'x'.repeat(100_000) },
  { label: '900 kB', value: 'x'.repeat(900_000) },
].map((v) => ({ ...v, namesField: true }));

const BAD_NUMBERS: BadValue[] = [
  { label: '2147483648', value: 2147483648, inline: true },
  { label: '-2147483649', value: -2147483649, inline: true },
  { label: '2147483647', value: 2147483647, inline: true },
  { label: '-2147483648', value: -2147483648, inline: true },
  { label: '1e308', value: 1e308, inline: true },
  { label: '-1e308', value: -1e308 },
  { label: '1.5', value: 1.5, inline: true },
  { label: '"NaN"', value: 'NaN' },
  { label: '"Infinity"', value: 'Infinity' },
];

function badIds(valid: unknown): BadValue[] {
  const type = typeof valid === 'string' ? Buffer.from(valid, 'base64').toString().split(':')[0]! : 'User';
  return [
    ...BAD_STRINGS,
    ...['99999999999', '2147483648', '99999999999999999999', '-1', '0', 'abc', '1.5', '1e3', ''].map((id) => ({
      label: `${type}:${id}`,
      value: globalId(type, id),
      inline: true,
    })),
    { label: 'Nope:1', value: globalId('Nope', 1), inline: true },
    { label: 'HrMetrics:1 (not a Node)', value: globalId('HrMetrics', 1) },
    { label: 'not base64', value: '%%%not-base64%%%', inline: true },
    { label: 'base64 of junk', value: b64('\u0000\u00ff junk'), inline: true },
  ];
}

const BAD_TIMES: Record<string, BadValue[]> = {
  Date: [{ label: 'year 0', value: '0000-01-01', inline: true }],
  DateTime: [
    { label: 'year 0', value: '0000-01-01T00:00:00Z', inline: true },
    { label: 'year 0 in UTC', value: '0001-01-01T00:30:00+01:00' },
    { label: 'year 10000 in UTC', value: '9999-12-31T23:59:59-01:00' },
    { label: 'year 10000', value: '10000-01-01T00:00:00Z' },
  ],
  IsoWeek: [{ label: 'year 0', value: '0000-W01' }],
};

/** Valid but extreme values: a query may answer them or refuse them, but never with a 500. */
const EXTREME_TIMES: Record<string, BadValue[]> = {
  Date: ['0001-01-01', '9999-12-31'].map((value) => ({ label: value, value, mayPass: true })),
  DateTime: ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'].map((value) => ({ label: value, value, mayPass: true })),
  IsoWeek: ['0001-W01', '9999-W52'].map((value) => ({ label: value, value, mayPass: true })),
};

const BAD_ENUMS: BadValue[] = [
  { label: 'unknown enum value', value: 'NOT_A_VALUE' },
  { label: 'NUL enum value', value: '\u0000' },
];

/** Breaks a real cursor of the connection in every way its format allows, plus formats it never issues. */
function badCursors(real: string | undefined): BadValue[] {
  const cases: BadValue[] = [
    { label: 'garbage cursor', value: 'not-a-cursor!!', inline: true },
    { label: 'base64 of junk', value: b64('hello'), inline: true },
    { label: 'base64 of junk JSON', value: b64url('{"a":[1,2,{}]}') },
    { label: 'empty cursor', value: '' },
  ];
  if (!real) return cases;
  const decoded = Buffer.from(real, 'base64url').toString('utf8');
  if (decoded.startsWith('GPC:')) {
    const chunks = [
      'N:99999999999',
      'N:2147483648',
      'N:-1',
      'N:0',
      'N:1.5',
      'N:NaN',
      'S:abc',
      'S:\u0000',
      'Z:',
      'O:{"gt":1}',
      'O:null',
      'D:99999999999999999',
      'I:99999999999999999999',
      'J:[1]',
      'Q:1',
    ];
    return [...cases, ...chunks.map((chunk) => ({ label: `GPC:${chunk}`, value: b64(`GPC:${chunk}`) }))];
  }
  const [version, signature, values] = JSON.parse(decoded) as [number, string, unknown[]];
  const encode = (parts: unknown[]) => b64url(JSON.stringify(parts));
  cases.push(
    { label: 'cursor of another version', value: encode([version + 1, signature, values]) },
    { label: 'cursor with too few values', value: encode([version, signature, values.slice(1)]) },
    { label: 'cursor with values not a list', value: encode([version, signature, 'x']) },
  );
  values.forEach((value, i) => {
    const replacements: [string, unknown][] =
      typeof value === 'number'
        ? [
            ['99999999999', 99999999999],
            ['2147483648', 2147483648],
            ['-1', -1],
            ['0', 0],
            ['1.5', 1.5],
            ['"1"', '1'],
            ['null', null],
            ['true', true],
          ]
        : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)
          ? [
              ['+275760-09-13', '+275760-09-13T00:00:00.000Z'],
              ['-271821-04-20', '-271821-04-20T00:00:00.000Z'],
              ['not a date', 'not a date'],
              ['12', 12],
            ]
          : [
              ['NUL', '\u0000'],
              ['NUL inside', 'a\u0000b'],
              ['12', 12],
              ['null', null],
              ['{}', {}],
            ];
    for (const [label, replacement] of replacements) {
      cases.push({
        label: `cursor value ${i} = ${label}`,
        value: encode([version, signature, values.map((v, j) => (j === i ? replacement : v))]),
      });
    }
  });
  return cases;
}

function badValuesFor(slot: Slot): BadValue[] {
  const name = slot.leaf.name;
  let values: BadValue[];
  if (isEnumType(slot.leaf)) values = BAD_ENUMS;
  else if (name === 'Int' || name === 'Float') values = BAD_NUMBERS;
  else if (name === 'Boolean') values = [];
  else if (name === 'ID') values = badIds(validLeaf(slot.leaf, slot.coordinate));
  else if (name === 'String' && (slot.path.at(-1) === 'after' || slot.path.at(-1) === 'before')) {
    // Every refused cursor names the argument, like any other bad string.
    values = [...BAD_STRINGS, ...badCursors(realCursors.get(slot.owner)).map((v) => ({ ...v, namesField: true }))];
  } else if (name === 'String') values = BAD_STRINGS;
  // Custom scalars (IsoWeek, Date, DateTime) parse strictly; they get the bad strings (not named by field),
  // points in time PostgreSQL cannot store, and, in queries, the extreme ones it can.
  else {
    values = [...BAD_STRINGS.map((v) => ({ ...v, namesField: false })), ...(BAD_TIMES[name] ?? [])];
    if (slot.owner.startsWith('Query.')) values.push(...(EXTREME_TIMES[name] ?? []));
  }
  if (slot.inList) {
    const valid = validLeaf(slot.leaf, slot.coordinate);
    values = [...values, { label: '1000 items', value: Array.from({ length: 1000 }, () => valid), namesField: false }];
  }
  return values;
}

// ---- sending and judging -----------------------------------------------------------------------------------

function describeErrors(response: GraphQLResponse): string {
  return JSON.stringify(
    response.errors?.map((e) => ({ code: e.extensions?.code, field: e.extensions?.field, message: e.message.slice(0, 160) })),
  );
}

/** What is wrong with the answer to one bad value, or null. */
function judge(response: GraphQLResponse, expectedField: string | null, mayPass = false): string | null {
  if (response.status >= 500) return `HTTP ${response.status} ${describeErrors(response)}`;
  if (!response.errors?.length) return mayPass ? null : `accepted (no error), HTTP ${response.status}`;
  for (const error of response.errors) {
    const code = error.extensions?.code;
    if (typeof code !== 'string' || !REFUSALS.has(code)) return `code ${String(code)}: ${describeErrors(response)}`;
    if (/at .+\.(ts|js):\d+|stack|prisma|SELECT |node_modules/i.test(JSON.stringify(error)))
      return `leaks internals: ${describeErrors(response)}`;
  }
  if (expectedField && !response.errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT' && e.extensions.field === expectedField)) {
    return `expected BAD_USER_INPUT with field ${expectedField}, got ${describeErrors(response)}`;
  }
  return null;
}

/** Requests the fuzz sent in all, so a walk that finds nothing to send cannot pass unnoticed. */
let totalSent = 0;

/** Sends every bad value of every slot of `field`; returns what went wrong, one line per case. */
async function fuzzField(owner: string, field: GraphQLField<unknown, unknown>, options: { subset?: boolean; namesFields: boolean }) {
  const failures: string[] = [];
  for (const slot of slotsOf(owner, field)) {
    let values = badValuesFor(slot);
    if (options.subset) values = values.filter((v) => SUBSET.has(v.label) || v.label.includes('99999999999'));
    for (const bad of values) {
      const args = argumentsFor(slot, bad.value);
      const forms: boolean[] = bad.inline ? [false, true] : [false];
      for (const inline of forms) {
        const { query, variables } = operationFor(slot, args, inline);
        const response = await api.graphql(query, variables);
        totalSent += 1;
        const wrong = judge(response, options.namesFields && bad.namesField ? slot.path.join('.') : null, bad.mayPass);
        if (wrong) failures.push(`${owner}(${slot.path.join('.')}) = ${bad.label}${inline ? ' [inline]' : ''}: ${wrong}`);
      }
    }
  }
  return failures;
}

/** The values a MANAGER is sent (besides every id and cursor value beyond int4). */
const SUBSET = new Set([
  'NUL',
  'control characters',
  '900 kB',
  '2147483648',
  '"NaN"',
  'garbage cursor',
  'GPC:O:{"gt":1}',
  'unknown enum value',
]);

/** Every base table, as a count and a digest of its rows. */
async function tableDigests(): Promise<Record<string, string>> {
  const tables = await api.db.sql.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await api.db.sql.query<{ n: number; digest: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
    );
    digests[name] = `${row!.n} ${row!.digest}`;
  }
  return digests;
}

beforeAll(async () => {
  managerId = team.managerIds[0]!;
  [{ id: scheduleId }] = (await api.db.sql.query<{ id: number }>('SELECT id FROM work_schedules WHERE user_id = $1 ORDER BY id LIMIT 1', [
    team.adminId,
  ])) as [{ id: number }];
  [{ id: meetingId }] = (await api.db.sql.query<{ id: number }>('SELECT id FROM team_meetings ORDER BY id LIMIT 1')) as [{ id: number }];
  api.actAs(team.adminId);
  // A summary, so weeklySummaries has a real cursor to break.
  const generated = await api.graphql(`mutation { generateWeeklyReport(week: "${TEAM_END_WEEK}") { summary { id } } }`);
  expect(generated.errors).toBeUndefined();
  await api.worker.idle();
  // Stress 8+ in two weeks running, so stressAlerts has rows too.
  await api.db.sql.exec(`UPDATE weekly_reports SET stress_level = 9 WHERE user_id = ${team.userIds[3]}`);
  for (const [owner, field] of connectionFields()) {
    const slot: Slot = { owner, field, path: ['first'], leaf: schema.getType('Int')!, coordinate: `${owner}(first)`, inList: false };
    const { query } = operationFor(slot, argumentsFor(slot, 1), true);
    const response = await api.graphql(query);
    const cursor = JSON.stringify(response.data ?? {}).match(/"cursor":"([^"]+)"/)?.[1];
    if (cursor) realCursors.set(owner, cursor);
  }
  loggedErrors = [];
}, 180_000);

function rootFields(type: 'Query' | 'Mutation'): [string, GraphQLField<unknown, unknown>][] {
  const root = type === 'Query' ? schema.getQueryType() : schema.getMutationType();
  return Object.values(root!.getFields()).map((f) => [`${type}.${f.name}`, f]);
}

/** Fields below the root that take arguments with something to fuzz (nested connections). */
function nestedFields(): [string, GraphQLField<unknown, unknown>][] {
  const found: [string, GraphQLField<unknown, unknown>][] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name === 'Query' || type.name === 'Mutation') continue;
    for (const field of Object.values(type.getFields())) {
      const owner = `${type.name}.${field.name}`;
      if (slotsOf(owner, field).some((s) => s.leaf.name !== 'Boolean')) found.push([owner, field]);
    }
  }
  return found;
}

function connectionFields() {
  return [...rootFields('Query'), ...nestedFields()].filter(([, f]) => f.args.some((a) => a.name === 'after'));
}

describe('the fuzz covers', () => {
  it('every root field, with something to send for each of their arguments, and a way to reach every nested one', () => {
    const roots = [...rootFields('Query'), ...rootFields('Mutation')];
    expect(roots.length).toBeGreaterThan(15);
    for (const [owner, field] of roots) for (const slot of slotsOf(owner, field)) badValuesFor(slot);
    for (const [owner] of nestedFields()) expect(REACH, `add a way to reach ${owner} to REACH`).toHaveProperty(owner.split('.')[0]!);
    // Every connection had rows, so its cursors were broken from real ones.
    expect(
      connectionFields()
        .map(([owner]) => owner)
        .filter((owner) => !realCursors.has(owner)),
    ).toEqual([]);
  });
});

describe('as an ADMIN (reaches every resolver)', () => {
  it.each(rootFields('Query').map(([owner, field]) => [owner, field] as const))('%s', async (owner, field) => {
    api.actAs(team.adminId);
    const failures = await fuzzField(owner, field, { namesFields: true });
    expect(failures).toEqual([]);
  });

  it.each(nestedFields().map(([owner, field]) => [owner, field] as const))('nested %s', async (owner, field) => {
    api.actAs(team.adminId);
    const failures = await fuzzField(owner, field, { namesFields: true });
    expect(failures).toEqual([]);
  });

  it.each(rootFields('Mutation').map(([owner, field]) => [owner, field] as const))('%s, writing nothing', async (owner, field) => {
    api.actAs(team.adminId);
    const before = await tableDigests();
    const failures = await fuzzField(owner, field, { namesFields: true });
    expect(failures).toEqual([]);
    expect(await tableDigests()).toEqual(before);
  });
});

describe('as a MANAGER', () => {
  it.each([...rootFields('Query'), ...rootFields('Mutation'), ...nestedFields()].map(([owner, field]) => [owner, field] as const))(
    '%s',
    async (owner, field) => {
      api.actAs(managerId);
      const before = owner.startsWith('Mutation.') ? await tableDigests() : null;
      // Refusals by role (FORBIDDEN) come first for some fields, so the field is not required here.
      const failures = await fuzzField(owner, field, { subset: true, namesFields: false });
      expect(failures).toEqual([]);
      if (before) expect(await tableDigests()).toEqual(before);
    },
  );
});

describe('what stays valid', () => {
  it('free text keeps tabs and line breaks up to its bound; names and cities keep any script', async () => {
    api.actAs(team.adminId);
    const highlights = `Shipped\n\t- the fuzz test\r\n${'x'.repeat(3_970)}`;
    const submitted = await api.graphql(
      graphql(
        `mutation BadInputSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { highlights } } }`,
      ),
      { input: { week: '2025-W11', workdays: 5, stressLevel: 3, highlights } },
    );
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data?.submitWeeklyReport.report.highlights).toBe(highlights);
    const found = await api.graphql('query($f: UserFilter) { users(filter: $f) { totalCount } }', {
      f: { city: 'Kraków 🏙', search: 'Zoë Ødegård' },
    });
    expect(found.errors).toBeUndefined();
  });
});

describe('GET /export/weekly-reports.csv', () => {
  const PARAMETERS = ['from', 'to', 'country', 'city', 'token', 'unknown'];
  // A URL cannot carry a lone surrogate (it is sent as U+FFFD), so that one stays out.
  const BAD_URL_STRINGS = BAD_STRINGS.filter((v) => v.label !== 'lone surrogate').map(
    (v) => [v.label, v.value as string] as [string, string],
  );
  const VALUES: [string, string][] = [
    ...BAD_URL_STRINGS,
    ...BAD_NUMBERS.map((v) => [v.label, String(v.value)] as [string, string]),
    ['a session token', ''],
    ['a JWT of junk', `${b64url('{"alg":"HS256"}')}.${b64url('{"sub":"99999999999"}')}.${b64url('x')}`],
    ['2026-W99', '2026-W99'],
  ];

  it.each(PARAMETERS)('?%s= answers a 4xx with a code to every bad value', async (parameter) => {
    const failures: string[] = [];
    const bearer = await api.tokenFor(team.adminId);
    // Any text without control characters may be a city ("2026-W99" is just no city of ours): only bad strings are bad there.
    for (const [label, raw] of parameter === 'city' ? BAD_URL_STRINGS : VALUES) {
      const value = label === 'a session token' ? bearer : raw;
      const url = `${ORIGIN}/export/weekly-reports.csv?${new URLSearchParams({ [parameter]: value })}`;
      const response = await api.yoga.fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
      const text = await response.text();
      if (parameter === 'unknown') {
        // An unknown parameter is ignored: the whole export follows.
        if (response.status !== 200) failures.push(`${parameter} = ${label}: HTTP ${response.status} ${text.slice(0, 200)}`);
        continue;
      }
      let code: unknown;
      try {
        code = (JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code;
      } catch {
        code = undefined;
      }
      if (response.status < 400 || response.status >= 500 || typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR') {
        failures.push(`${parameter} = ${label}: HTTP ${response.status} ${text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('in all', () => {
  it('sent over a thousand bad requests and logged no unexpected error', () => {
    expect(totalSent).toBeGreaterThan(1_000);
    expect(loggedErrors).toEqual([]);
  });
});
