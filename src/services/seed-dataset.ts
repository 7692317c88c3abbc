// Seeds a realistic, deterministic dataset (people in a management hierarchy across real cities, weekly
// reports with HR/ops metrics, work schedules, team meetings) for `npm run seed` and the demo database.
import type { Faker } from '@faker-js/faker';
import { addWeeks, isIsoWeek, isoWeekOf, isoWeekStart, previousWeek, type IsoWeek } from '../domain/iso-week.js';
import type { Role } from '../generated/prisma/enums.js';
import type { SqlClient } from '../infra/database/sql-client.js';

export interface SeedOptions {
  users: number;
  weeks: number;
  /** Empties every data table first; without it, seeding a database that has users fails. */
  reset?: boolean;
  /** The last ISO week seeded; default: the last complete ISO week before today (UTC). */
  endWeek?: IsoWeek;
  /** Same seed and options, same rows: ids, names, emails, timestamps and metrics alike. */
  seed?: number;
  /** Rows per INSERT statement; does not change the data. */
  batchSize?: number;
  onProgress?: (message: string) => void;
}

export interface SeedSummary {
  firstWeek: IsoWeek;
  endWeek: IsoWeek;
  users: number;
  reports: number;
  hrMetrics: number;
  opsMetrics: number;
  schedules: number;
  meetings: number;
  attendees: number;
}

export type SeedErrorCode = 'INVALID_SEED_OPTIONS' | 'DATABASE_NOT_EMPTY';

export class SeedError extends Error {
  override name = 'SeedError';
  constructor(
    readonly code: SeedErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const DEMO_DATASET = { users: 200, weeks: 12 } as const;
export const DEFAULT_SEED = 20261128;
const DEFAULT_BATCH_SIZE = 10_000;
/** Statements in flight at once: PostgreSQL inserts one batch while the next is generated and sent. */
const PARALLEL_STATEMENTS = 2;

const DAY = 86_400;
const HOUR = 3_600;
const EMAIL_DOMAIN = 'pulse.example';

/**
 * Inserts `users` people and up to `weeks` weekly reports each (the weeks ending at `endWeek`), with
 * explicit ids from 1 so reruns are identical, then moves the id sequences past them.
 */
export async function seedDataset(sql: SqlClient, options: SeedOptions): Promise<SeedSummary> {
  const settings = validate(options);
  const log = options.onProgress ?? (() => {});
  if (options.reset) {
    await sql.exec(
      `TRUNCATE users, weekly_reports, hr_metrics, ops_metrics, work_schedules, team_meetings, "_MeetingAttendees"
       RESTART IDENTITY CASCADE`,
    );
    log('emptied the data tables');
  } else {
    const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    if (row && row.n > 0) {
      throw new SeedError(
        'DATABASE_NOT_EMPTY',
        `database already has ${row.n} users; seed an empty database, or reset it first (--reset)`,
      );
    }
  }
  // Loaded here, not at the top: faker's locales take a noticeable share of a server start that does not seed.
  const fakerModule = await import('@faker-js/faker');
  const timeline = buildTimeline(settings.endWeek, settings.weeks, settings.seed);
  const fakers = createFakers(fakerModule, settings.seed);
  const people = planPeople(settings.users, timeline, fakers, new Random(settings.seed, 1));
  const queue = new StatementQueue(sql, PARALLEL_STATEMENTS);
  const context: SeedContext = { queue, log, batchSize: settings.batchSize, seed: settings.seed, timeline, people };

  await insertUsers(sql, context);
  const reports = await insertReports(context, buildTexts(fakerModule, settings.seed));
  const schedules = await insertSchedules(context);
  const meetings = await insertMeetings(context);
  await sql.query(
    `SELECT ${['users', 'weekly_reports', 'work_schedules', 'team_meetings']
      .map((t) => `setval(pg_get_serial_sequence('${t}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM ${t}), false)`)
      .join(', ')}`,
  );
  return {
    firstWeek: timeline.weeks[0]!,
    endWeek: settings.endWeek,
    users: people.length,
    ...reports,
    schedules,
    ...meetings,
  };
}

function validate(options: SeedOptions) {
  const problems: string[] = [];
  const positive = (name: string, value: number, max: number) => {
    if (!(Number.isInteger(value) && value >= 1 && value <= max)) {
      problems.push(`${name} must be an integer from 1 to ${max}, got ${value}`);
    }
  };
  positive('users', options.users, 10_000_000);
  positive('weeks', options.weeks, 520);
  if (options.batchSize !== undefined) positive('batchSize', options.batchSize, 1_000_000);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    problems.push(`seed must be an integer, got ${options.seed}`);
  }
  const endWeek = options.endWeek ?? previousWeek(isoWeekOf(new Date()));
  if (!isIsoWeek(endWeek)) problems.push(`endWeek must be an ISO week like 2026-W47, got ${endWeek}`);
  if (problems.length) throw new SeedError('INVALID_SEED_OPTIONS', problems.join('; '));
  return {
    users: options.users,
    weeks: options.weeks,
    endWeek,
    seed: options.seed ?? DEFAULT_SEED,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
  };
}

// ---------------------------------------------------------------------------------------------------
// Randomness: one seeded stream per concern, so changing how reports are drawn leaves users unchanged.

/** mulberry32: small, fast and good enough for test data; faker only draws the names and texts. */
class Random {
  private state: number;
  constructor(seed: number, stream: number) {
    this.state = mix32((seed >>> 0) ^ mix32(stream + 0x9e3779b9));
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.next(); p > limit; p *= this.next()) k++;
    return k;
  }
  binomial(n: number, p: number): number {
    let k = 0;
    for (let i = 0; i < n; i++) if (this.next() < p) k++;
    return k;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A stateless draw in [0, 1) for (a, b): lets the report total be counted before the reports are drawn. */
function hashUnit(seed: number, a: number, b: number): number {
  return mix32(mix32(mix32((seed >>> 0) ^ 0x5bd1e995) ^ a) + Math.imul(b, 0x27d4eb2f)) / 4_294_967_296;
}

// ---------------------------------------------------------------------------------------------------
// Places, people and the calendar.

/** The faker locale for names of people in each country. */
const NAME_LOCALES = {
  US: 'en_US', CA: 'en_CA', MX: 'es_MX', BR: 'pt_BR', GB: 'en_GB', IE: 'en_IE', PT: 'pt_PT', ES: 'es',
  FR: 'fr', DE: 'de', NL: 'nl', IT: 'it', SE: 'sv', PL: 'pl', IN: 'en_IN', AU: 'en_AU',
} as const;
type Country = keyof typeof NAME_LOCALES;
const COUNTRIES = Object.keys(NAME_LOCALES) as Country[];

interface City {
  name: string;
  country: Country;
  /** Standard-time offset from UTC in hours (daylight saving is ignored). */
  utcOffset: number;
  /** Relative headcount. */
  weight: number;
}

const CITIES: readonly City[] = (
  [
    ['New York', 'US', -5, 6], ['San Francisco', 'US', -8, 5], ['Chicago', 'US', -6, 3], ['Austin', 'US', -6, 3],
    ['Seattle', 'US', -8, 3], ['Toronto', 'CA', -5, 3], ['Vancouver', 'CA', -8, 2], ['Montreal', 'CA', -5, 2],
    ['Mexico City', 'MX', -6, 3], ['São Paulo', 'BR', -3, 4], ['Rio de Janeiro', 'BR', -3, 2],
    ['London', 'GB', 0, 6], ['Manchester', 'GB', 0, 2], ['Edinburgh', 'GB', 0, 1], ['Dublin', 'IE', 0, 3],
    ['Lisbon', 'PT', 0, 3], ['Porto', 'PT', 0, 1], ['Madrid', 'ES', 1, 3], ['Barcelona', 'ES', 1, 3],
    ['Paris', 'FR', 1, 4], ['Lyon', 'FR', 1, 1], ['Berlin', 'DE', 1, 5], ['Munich', 'DE', 1, 3],
    ['Hamburg', 'DE', 1, 2], ['Amsterdam', 'NL', 1, 4], ['Rotterdam', 'NL', 1, 1], ['Milan', 'IT', 1, 2],
    ['Rome', 'IT', 1, 1], ['Stockholm', 'SE', 1, 2], ['Warsaw', 'PL', 1, 3], ['Kraków', 'PL', 1, 2],
    ['Bengaluru', 'IN', 5.5, 5], ['Pune', 'IN', 5.5, 2], ['Sydney', 'AU', 10, 3], ['Melbourne', 'AU', 10, 2],
  ] as const
).map(([name, country, utcOffset, weight]) => ({ name, country, utcOffset, weight }));

const TEAMS = [
  'Platform', 'Payments', 'Growth', 'Data', 'Mobile', 'Web', 'Infrastructure', 'Security', 'Support',
  'Customer Success', 'Logistics', 'Fulfilment', 'Finance', 'Sales', 'Marketing', 'Design', 'Search',
  'Billing', 'Partnerships', 'Quality',
];

type FakerModule = typeof import('@faker-js/faker');

/** One local, seeded Faker per country (never the shared default instance). */
function createFakers(module: FakerModule, seed: number): Map<Country, Faker> {
  return new Map(
    COUNTRIES.map((country, i) => {
      const faker = new module.Faker({ locale: [module[NAME_LOCALES[country]], module.en, module.base] });
      faker.seed(mix32(seed + i));
      return [country, faker] as const;
    }),
  );
}

interface Timeline {
  weeks: IsoWeek[];
  /** Monday 00:00 UTC of each seeded week, then of the week after, in epoch seconds. */
  starts: number[];
  /** A crunch week raises everyone's stress a little. */
  crunch: boolean[];
}

function buildTimeline(endWeek: IsoWeek, count: number, seed: number): Timeline {
  const weeks = Array.from({ length: count }, (_, i) => addWeeks(endWeek, i - count + 1));
  const starts = [...weeks, addWeeks(endWeek, 1)].map((w) => isoWeekStart(w).getTime() / 1000);
  const random = new Random(seed, 2);
  return { weeks, starts, crunch: weeks.map(() => random.chance(0.15)) };
}

interface Person {
  id: number;
  role: Role;
  /** Top of the hierarchy among managers; their direct reports are managers. */
  senior: boolean;
  manager: Person | null;
  city: City;
  firstName: string;
  lastName: string;
  email: string;
  active: boolean;
  createdAt: number;
  updatedAt: number;
  /** Reports are due for week indexes in [joinedWeek, leftWeek). */
  joinedWeek: number;
  leftWeek: number;
  /** Share of due weeks with a report. */
  reliability: number;
  stressBaseline: number;
  hrRole: boolean;
  opsRole: boolean;
  ordersPerWeek: number;
  tasksPerWeek: number;
  interviewsPerWeek: number;
  remoteShare: number;
  team: string;
}

/**
 * Roles, hierarchy, places, names and careers of `count` people. Ids follow created_at, as they would
 * in a real database; emails are first.last, numbered on collision.
 */
function planPeople(count: number, timeline: Timeline, fakers: Map<Country, Faker>, random: Random): Person[] {
  const admins = Math.min(25, Math.max(1, Math.round(count / 250)));
  const managers = count >= 4 ? Math.max(1, Math.round(count / 9)) : 0;
  const seniors = managers >= 2 ? Math.max(1, Math.round(managers / 8)) : 0;
  const analysts = Math.min(Math.round(count * 0.03), count - admins - managers);
  const roles: Array<[Role, boolean]> = [
    ...Array.from({ length: admins }, () => ['ADMIN', false] as [Role, boolean]),
    ...Array.from({ length: managers }, (_, i) => ['MANAGER', i < seniors] as [Role, boolean]),
    ...Array.from({ length: analysts }, () => ['ANALYST', false] as [Role, boolean]),
  ];
  while (roles.length < count) roles.push(['EMPLOYEE', false]);

  // The first cities drawn cover the whole table, so a few hundred people already span every city.
  const coverage = random.shuffle([...CITIES]);
  const totalWeight = CITIES.reduce((sum, c) => sum + c.weight, 0);
  const drawCity = (): City => {
    const next = coverage.pop();
    if (next) return next;
    let r = random.next() * totalWeight;
    for (const city of CITIES) if ((r -= city.weight) < 0) return city;
    return CITIES[0]!;
  };

  const people: Person[] = [];
  const seniorManagers: Person[] = [];
  const teamLeads: Person[] = [];
  for (const [role, senior] of roles) {
    const leads = teamLeads.length ? teamLeads : seniorManagers;
    const manager =
      role === 'MANAGER' ? (senior ? null : random.pick(seniorManagers.length ? seniorManagers : [null]))
      : role === 'EMPLOYEE' || role === 'ANALYST' ? (leads.length ? random.pick(leads) : null)
      : null;
    // Teams mostly sit together; the rest are spread out.
    const city = role === 'EMPLOYEE' && manager && random.chance(0.75) ? manager.city : drawCity();
    const country = random.chance(0.88) ? city.country : random.pick(COUNTRIES);
    const faker = fakers.get(country)!;
    const sex = faker.person.sexType();
    const person: Person = {
      id: 0,
      role,
      senior,
      manager,
      city,
      firstName: faker.person.firstName(sex),
      lastName: faker.person.lastName(sex),
      email: '',
      ...career(role, senior, timeline, random),
      reliability: random.chance(0.12) ? random.uniform(0.55, 0.8) : random.uniform(0.88, 0.99),
      stressBaseline:
        (random.chance(0.1) ? random.uniform(7.4, 8.8) : random.uniform(2.5, 6.2)) + (role === 'MANAGER' ? 0.4 : 0),
      hrRole: false,
      opsRole: false,
      ordersPerWeek: 0,
      tasksPerWeek: random.uniform(4, 25),
      interviewsPerWeek: random.uniform(1.5, 8),
      remoteShare: random.chance(0.2) ? 0 : random.chance(0.12) ? 1 : random.uniform(0.2, 0.6),
      team: senior ? 'Leadership' : random.pick(TEAMS),
    };
    const lineRole = role === 'EMPLOYEE' || role === 'MANAGER';
    person.hrRole = lineRole && random.chance(0.15);
    person.opsRole = random.chance(person.hrRole ? 0.2 : lineRole ? 0.92 : 0.5);
    person.ordersPerWeek = person.opsRole && random.chance(0.4) ? random.uniform(40, 400) : 0;
    people.push(person);
    if (role === 'MANAGER') (senior ? seniorManagers : teamLeads).push(person);
  }

  people.sort((a, b) => a.createdAt - b.createdAt); // stable: ties keep their planned order
  const taken = new Map<string, number>();
  for (const [i, person] of people.entries()) {
    person.id = i + 1;
    const local = `${slug(person.firstName)}.${slug(person.lastName)}`;
    const n = (taken.get(local) ?? 0) + 1;
    taken.set(local, n);
    person.email = `${local}${n > 1 ? n : ''}@${EMAIL_DOMAIN}`;
  }
  return people;
}

/** When someone joined and (if they left) when, relative to the seeded weeks. */
function career(role: Role, senior: boolean, timeline: Timeline, random: Random) {
  const weekCount = timeline.weeks.length;
  const firstMonday = timeline.starts[0]!;
  const staff = role === 'EMPLOYEE' || role === 'ANALYST';
  if (staff && weekCount >= 2 && random.chance(0.05)) {
    const joinedWeek = random.int(1, weekCount - 1);
    // Monday to Wednesday (UTC): before their first report, which is due from Thursday.
    const createdAt = timeline.starts[joinedWeek]! + random.int(0, 2) * DAY + random.int(8 * HOUR, 17 * HOUR);
    return { joinedWeek, leftWeek: Infinity, active: true, createdAt, updatedAt: createdAt };
  }
  // Senior people have been around longer; the rest skew recent, as in a growing company.
  const daysBefore = role === 'ADMIN' || senior ? random.int(400, 2400) : 1 + Math.floor(1800 * random.next() ** 1.6);
  const createdAt = firstMonday - daysBefore * DAY + random.int(8 * HOUR, 17 * HOUR);
  if (staff && random.chance(0.06)) {
    const leftWeek = random.int(0, weekCount - 1);
    const updatedAt = timeline.starts[leftWeek]! + 4 * DAY + 17 * HOUR;
    return { joinedWeek: 0, leftWeek, active: false, createdAt, updatedAt };
  }
  return { joinedWeek: 0, leftWeek: Infinity, active: true, createdAt, updatedAt: createdAt };
}

/** Letters that Unicode does not decompose into a base letter plus accents. */
const LETTER_SPELLINGS: Record<string, string> = {
  ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};

/** An ASCII email local part from a name: "Łucja Nowak-Kowalska" -> "lucja", "nowak-kowalska". */
function slug(name: string): string {
  const ascii = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f'’]/g, '')
    .replace(/[łøæœßđðþı]/g, (c) => LETTER_SPELLINGS[c] ?? '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii || 'user';
}

// ---------------------------------------------------------------------------------------------------
// Texts: pools drawn once with faker, then picked per report (faker per row would dominate the run).

interface Texts {
  highlights: string[];
  /** What people in recruiting and HR write about. */
  hrHighlights: string[];
  blockers: string[];
  away: string[];
}

function buildTexts(module: FakerModule, seed: number): Texts {
  const f = new module.Faker({ locale: [module.en, module.base] });
  f.seed(mix32(seed ^ 0x7e57));
  const n = (min: number, max: number) => f.number.int({ min, max });
  const team = () => f.helpers.arrayElement(TEAMS);
  const highlights: Array<() => string> = [
    () => `Shipped the ${f.hacker.adjective()} ${f.hacker.noun()} to production`,
    () => `Closed ${n(3, 40)} support tickets`,
    () => `Reviewed ${n(2, 15)} pull requests for the ${f.hacker.noun()} service`,
    () => `Finished the ${f.company.buzzAdjective()} ${f.company.buzzNoun()} proposal`,
    () => `Ran the ${team()} retrospective`,
    () => `Fixed the ${f.hacker.adjective()} ${f.hacker.noun()} outage`,
    () => `Prepared the ${f.date.month()} budget review`,
    () => `Migrated the ${f.hacker.noun()} jobs to the new cluster`,
    () => `Processed ${n(20, 400)} orders for ${f.company.name()}`,
    () => `Signed the ${f.company.name()} contract`,
    () => `Published the ${f.date.month()} ${team()} report`,
    () => `Automated the ${f.hacker.noun()} ${f.hacker.ingverb()} step`,
    () => `Mentored ${f.person.firstName()} on ${f.hacker.noun()} design`,
    () => `Demoed the new ${f.commerce.productName()} flow`,
    () => `Cut ${f.hacker.noun()} latency by ${n(10, 60)}%`,
    () => `Planned next quarter with the ${team()} team`,
  ];
  const hrHighlights: Array<() => string> = [
    () => `Interviewed ${n(2, 9)} candidates for the ${team()} team`,
    () => `Onboarded ${f.person.firstName()} to the ${team()} team`,
    () => `Sent ${n(1, 4)} offers for ${f.person.jobTitle()} roles`,
    () => `Ran the ${f.date.month()} engagement survey`,
    () => `Updated the ${f.person.jobArea()} career ladder`,
    () => `Held exit interviews with the ${team()} team`,
  ];
  const blockers: Array<() => string> = [
    () => `Waiting for access to the ${f.hacker.noun()} environment`,
    () => `Blocked on a review from the ${team()} team`,
    () => `The ${f.hacker.adjective()} ${f.hacker.noun()} is unstable`,
    () => `Unclear requirements for ${f.commerce.productName()}`,
    () => `Too many meetings this week`,
    () => `Waiting on legal for the ${f.company.name()} contract`,
    () => `${f.company.name()} has not delivered yet`,
    () => `Short-staffed while ${f.person.firstName()} is out`,
    () => `Laptop replacement delayed`,
  ];
  const pool = (templates: Array<() => string>, size: number) =>
    Array.from({ length: size }, () => f.helpers.arrayElement(templates)());
  return {
    highlights: pool(highlights, 600),
    hrHighlights: pool(hrHighlights, 200),
    blockers: pool(blockers, 150),
    away: ['On vacation', 'Out of office all week', 'Sick leave', 'Public holidays and time off', 'Parental leave'],
  };
}

// ---------------------------------------------------------------------------------------------------
// Writing: each batch is one INSERT ... SELECT FROM unnest($1::int[], ...) statement, its own transaction.

interface SeedContext {
  queue: StatementQueue;
  log: (message: string) => void;
  batchSize: number;
  seed: number;
  timeline: Timeline;
  people: Person[];
}

interface Column {
  name: string;
  /** PostgreSQL type of the parameter's elements. */
  type: string;
  /** The value stored, when not the parameter itself; `v` stands for it. */
  value?: string;
}

/** Timestamps travel as epoch seconds. */
const EPOCH_SECONDS = { type: 'float8', value: 'to_timestamp(v)' } as const;

/** Column-wise rows for one table, sent as one array parameter per column. */
class Rows {
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
function insertStatement(...tables: Rows[]): { text: string; params: unknown[][] } {
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
class StatementQueue {
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

function percent(done: number, total: number): string {
  return `${done}/${total} (${total ? Math.floor((done / total) * 100) : 100}%)`;
}

/**
 * Users in id order, one batch at a time: a manager_id may only point to a committed row or one in the
 * same statement. Those pointing into a later batch are set afterwards by an UPDATE.
 */
async function insertUsers(sql: SqlClient, { people, batchSize, log }: SeedContext): Promise<void> {
  const rows = new Rows('users', [
    { name: 'id', type: 'int' },
    { name: 'email', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'role', type: 'text', value: 'v::"Role"' },
    { name: 'city', type: 'text' },
    { name: 'country', type: 'text' },
    { name: 'manager_id', type: 'int' },
    { name: 'active', type: 'bool' },
    { name: 'created_at', ...EPOCH_SECONDS },
    { name: 'updated_at', ...EPOCH_SECONDS },
  ]);
  const later = new Rows('users', [
    { name: 'id', type: 'int' },
    { name: 'manager_id', type: 'int' },
  ]);
  for (let start = 0; start < people.length; start += batchSize) {
    const batch = people.slice(start, start + batchSize);
    const lastId = batch[batch.length - 1]!.id;
    for (const p of batch) {
      const managerId = p.manager && p.manager.id <= lastId ? p.manager.id : null;
      if (p.manager && managerId === null) later.push(p.id, p.manager.id);
      const name = `${p.firstName} ${p.lastName}`;
      rows.push(p.id, p.email, name, p.role, p.city.name, p.city.country, managerId, p.active, p.createdAt, p.updatedAt);
    }
    const { text, params } = insertStatement(rows);
    await sql.query(text, params);
    log(`users ${percent(start + batch.length, people.length)}`);
  }
  const pending = later.take();
  for (let start = 0; start < pending[0]!.length; start += batchSize) {
    await sql.query(
      `UPDATE users SET manager_id = m.manager_id
       FROM unnest($1::int[], $2::int[]) AS m(id, manager_id) WHERE users.id = m.id`,
      pending.map((column) => column.slice(start, start + batchSize)),
    );
  }
}

/** Whether a report exists for a person and week; stateless, so the total is known before drawing them. */
function submits(seed: number, person: Person, week: number): boolean {
  return week >= person.joinedWeek && week < person.leftWeek && hashUnit(seed, person.id, week) < person.reliability;
}

/**
 * Each person's weekly reports (person by person, so a batch touches few pages of the (user_id, week)
 * index): workdays, stress from a personal baseline plus lingering noise (so stress runs in streaks),
 * texts, and HR/ops metrics by job.
 */
async function insertReports(context: SeedContext, texts: Texts) {
  const { people, timeline, seed, queue, batchSize, log } = context;
  const random = new Random(seed, 3);
  let total = 0;
  for (const person of people) for (let w = 0; w < timeline.weeks.length; w++) if (submits(seed, person, w)) total++;

  const reports = new Rows('weekly_reports', [
    { name: 'id', type: 'int' },
    { name: 'user_id', type: 'int' },
    { name: 'week', type: 'text' },
    { name: 'workdays', type: 'smallint' },
    { name: 'stress_level', type: 'smallint' },
    { name: 'highlights', type: 'text' },
    { name: 'blockers', type: 'text' },
    { name: 'submitted_at', ...EPOCH_SECONDS },
    { name: 'updated_at', ...EPOCH_SECONDS },
  ]);
  const integers = (...names: string[]) => names.map((name) => ({ name, type: 'int' }));
  const hr = new Rows('hr_metrics', integers('report_id', 'interviews', 'offers', 'hires', 'attritions'));
  const ops = new Rows('ops_metrics', integers('report_id', 'orders_processed', 'tasks_completed', 'incidents', 'sla_breaches'));
  const counts = { reports: 0, hrMetrics: 0, opsMetrics: 0 };
  let written = 0;
  const flush = async () => {
    const added = reports.length;
    if (!added) return;
    counts.reports += added;
    counts.hrMetrics += hr.length;
    counts.opsMetrics += ops.length;
    const { text, params } = insertStatement(reports, hr, ops);
    await queue.push(text, params, () => log(`reports ${percent((written += added), total)}`));
  };

  for (const person of people) {
    let noise = 0;
    for (const [w, week] of timeline.weeks.entries()) {
      noise = 0.55 * noise + 0.9 * random.normal();
      if (!submits(seed, person, w)) continue;
      const monday = timeline.starts[w]!;
      const crunch = timeline.crunch[w] ? 0.8 : 0;
      const workdays = drawWorkdays(random);
      const strain = workdays >= 6 ? 1 : workdays === 0 ? -2 : 0;
      const stress = Math.min(10, Math.max(1, Math.round(person.stressBaseline + noise + crunch + strain)));
      const topics = person.hrRole && random.chance(0.7) ? texts.hrHighlights : texts.highlights;
      const highlights =
        workdays === 0
          ? random.pick(texts.away)
          : [random.pick(topics), ...(random.chance(0.45) ? [random.pick(texts.highlights)] : [])].join('. ') + '.';
      const blocked = workdays > 0 && random.chance(Math.min(0.75, Math.max(0.08, 0.12 + 0.07 * (stress - 4))));
      const blockers = blocked ? random.pick(texts.blockers) : null;
      // Thursday afternoon to Sunday evening, local time.
      const submittedAt = monday + random.int(3 * DAY + 15 * HOUR, 6 * DAY + 20 * HOUR) - person.city.utcOffset * HOUR;
      const id = counts.reports + reports.length + 1;
      reports.push(id, person.id, week, workdays, stress, highlights, blockers, submittedAt, submittedAt);

      const share = workdays / 5;
      if (person.hrRole && workdays > 0 && random.chance(0.95)) {
        const interviews = random.poisson(person.interviewsPerWeek * share);
        const offers = random.binomial(interviews, 0.3);
        const r = random.next();
        hr.push(id, interviews, offers, random.binomial(offers, 0.6), r < 0.01 ? 2 : r < 0.08 ? 1 : 0);
      }
      if (person.opsRole && workdays > 0 && random.chance(0.97)) {
        const r = random.next();
        const incidents = r < 0.72 ? 0 : r < 0.9 ? 1 : r < 0.97 ? 2 : random.int(3, 6);
        const orders = Math.round(person.ordersPerWeek * share * random.uniform(0.75, 1.25));
        ops.push(id, orders, random.poisson(person.tasksPerWeek * share), incidents, random.binomial(incidents, 0.35));
      }
    }
    if (reports.length >= batchSize) await flush();
  }
  await flush();
  await queue.drain();
  return counts;
}

/** Mostly a five-day week; some short weeks, some vacations, a few weekends worked. */
function drawWorkdays(random: Random): number {
  const r = random.next();
  return r < 0.03 ? 0 : r < 0.05 ? random.int(1, 2) : r < 0.1 ? 3 : r < 0.25 ? 4 : r < 0.93 ? 5 : r < 0.985 ? 6 : 7;
}

/** Office or remote days for everyone still here, in the last seeded week and the week after it. */
async function insertSchedules(context: SeedContext): Promise<number> {
  const { people, timeline, seed, queue, batchSize, log } = context;
  const random = new Random(seed, 4);
  const rows = new Rows('work_schedules', [
    { name: 'id', type: 'int' },
    { name: 'user_id', type: 'int' },
    { name: 'date', type: 'date' },
    { name: 'starts_at', ...EPOCH_SECONDS },
    { name: 'ends_at', ...EPOCH_SECONDS },
    { name: 'remote', type: 'bool' },
  ]);
  const mondays = timeline.starts.slice(-2);
  let written = 0;
  let peopleDone = 0;
  for (const person of people) {
    peopleDone++;
    if (!person.active) continue;
    for (const monday of mondays) {
      for (let day = 0; day < 6; day++) {
        if (!random.chance(day < 5 ? 0.85 : person.opsRole ? 0.05 : 0)) continue;
        const midnight = monday + day * DAY;
        // Starting 07:00 to 10:00 local time, for 6 to 9.5 hours.
        const startsAt = midnight + 7 * HOUR + random.int(0, 6) * 1800 - person.city.utcOffset * HOUR;
        const endsAt = startsAt + 6 * HOUR + random.int(0, 7) * 1800;
        const date = new Date(midnight * 1000).toISOString().slice(0, 10);
        rows.push(written + rows.length + 1, person.id, date, startsAt, endsAt, random.chance(person.remoteShare));
      }
    }
    if (rows.length >= batchSize || (peopleDone === people.length && rows.length)) {
      const progress = `schedules ${(written += rows.length)} (people ${percent(peopleDone, people.length)})`;
      const { text, params } = insertStatement(rows);
      await queue.push(text, params, () => log(progress));
    }
  }
  await queue.drain();
  return written;
}

const MEETING_KINDS: ReadonlyArray<readonly [title: string, durations: readonly number[]]> = [
  ['Sprint planning', [60, 90, 120]],
  ['Retrospective', [45, 60, 90]],
  ['Roadmap workshop', [120, 180, 240]],
  ['Hiring debrief', [15, 30, 45]],
  ['Incident review', [30, 45, 60]],
  ['Quarterly planning', [120, 180, 240]],
];

/**
 * Each manager's weekly team sync (and now and then a longer session) in their city, over the last
 * few seeded weeks and the week after, attended by most of the direct reports on staff that week.
 */
async function insertMeetings(context: SeedContext): Promise<{ meetings: number; attendees: number }> {
  const { people, timeline, seed, queue, batchSize, log } = context;
  const random = new Random(seed, 5);
  const meetings = new Rows('team_meetings', [
    { name: 'id', type: 'int' },
    { name: 'title', type: 'text' },
    { name: 'starts_at', ...EPOCH_SECONDS },
    { name: 'duration_minutes', type: 'int' },
    { name: 'city', type: 'text' },
    { name: 'organizer_id', type: 'int' },
    { name: 'created_at', ...EPOCH_SECONDS },
  ]);
  const attendees = new Rows('_MeetingAttendees', [
    { name: 'A', type: 'int' },
    { name: 'B', type: 'int' },
  ]);
  const directReports = new Map<Person, Person[]>();
  for (const person of people) {
    if (!person.manager) continue;
    const team = directReports.get(person.manager);
    if (team) team.push(person);
    else directReports.set(person.manager, [person]);
  }
  const organizers = people.filter((p) => p.role === 'MANAGER');
  const weekCount = timeline.weeks.length;
  const counts = { meetings: 0, attendees: 0 };
  let organizersDone = 0;

  const schedule = (
    organizer: Person,
    week: number,
    title: string,
    durations: readonly number[],
    days: [first: number, last: number],
    team: Person[],
  ) => {
    const invited = team.filter(() => random.chance(0.85));
    if (!invited.length) invited.push(random.pick(team));
    const local = timeline.starts[week]! + random.int(...days) * DAY + 9 * HOUR + random.int(0, 14) * 1800;
    const startsAt = local - organizer.city.utcOffset * HOUR;
    const createdAt = startsAt - random.int(1, 14) * DAY - random.int(0, 8) * HOUR;
    const id = counts.meetings + meetings.length + 1;
    meetings.push(id, title, startsAt, random.pick(durations), organizer.city.name, organizer.id, createdAt);
    for (const attendee of invited) attendees.push(id, attendee.id);
  };

  for (const organizer of organizers) {
    organizersDone++;
    const reports = directReports.get(organizer) ?? [];
    for (let week = Math.max(0, weekCount - 3); week <= weekCount; week++) {
      const team = reports.filter((p) => p.joinedWeek <= week && week < p.leftWeek);
      if (!team.length) continue;
      if (random.chance(0.9)) schedule(organizer, week, `${organizer.team} weekly sync`, [30, 30, 45, 60], [1, 3], team);
      if (random.chance(0.35)) {
        const [kind, durations] = random.pick(MEETING_KINDS);
        schedule(organizer, week, `${kind}: ${organizer.team}`, durations, [0, 4], team);
      }
    }
    if (meetings.length + attendees.length >= batchSize || (organizersDone === organizers.length && meetings.length)) {
      counts.meetings += meetings.length;
      counts.attendees += attendees.length;
      const progress = `meetings ${counts.meetings} (organizers ${percent(organizersDone, organizers.length)})`;
      const { text, params } = insertStatement(meetings, attendees);
      await queue.push(text, params, () => log(progress));
    }
  }
  await queue.drain();
  return counts;
}
