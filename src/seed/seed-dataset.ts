// Seeds a realistic, deterministic dataset (people in a management hierarchy across real cities, weekly
// reports with HR/ops metrics, work schedules, team meetings) for `npm run seed` and the demo database.
import { isIsoWeek, isoWeekOf, isoWeekProblem, previousWeek, type IsoWeek } from '../domain/iso-week.js';
import type { SqlClient } from '../infra/database/sql-client.js';
import { StatementQueue } from './bulk-insert.js';
import type { SeedContext } from './context.js';
import { insertMeetings } from './insert-meetings.js';
import { insertReports } from './insert-reports.js';
import { insertSchedules } from './insert-schedules.js';
import { insertUsers } from './insert-users.js';
import { createFakers, planPeople } from './people.js';
import { Random, STREAM } from './random.js';
import { buildTexts } from './texts.js';
import { buildTimeline } from './timeline.js';
import { rebuildWeeklyAggregates } from '../services/weekly-aggregates.js';

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

export interface SeedDatasetOptions extends SeedOptions {
  sql: SqlClient;
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

/**
 * Inserts `users` people and up to `weeks` weekly reports each (the weeks ending at `endWeek`), with
 * explicit ids from 1 so reruns are identical, then moves the id sequences past them.
 */
export async function seedDataset({ sql, ...options }: SeedDatasetOptions): Promise<SeedSummary> {
  const settings = validate(options);
  const log = options.onProgress ?? (() => {});
  if (options.reset) {
    await sql.exec(
      `TRUNCATE users, weekly_reports, hr_metrics, ops_metrics, work_schedules, team_meetings, "_MeetingAttendees",
              weekly_report_aggregates RESTART IDENTITY CASCADE`,
    );
    log('emptied the data tables');
  } else {
    const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    if (row && row.n > 0) {
      throw new SeedError('DATABASE_NOT_EMPTY', `database already has ${row.n} users; seed an empty database, or reset it first (--reset)`);
    }
  }
  // Loaded here, not at the top: faker's locales take a noticeable share of a server start that does not seed.
  const fakerModule = await import('@faker-js/faker');
  const timeline = buildTimeline(settings.endWeek, settings.weeks, settings.seed);
  const fakers = createFakers(fakerModule, settings.seed);
  const people = planPeople(settings.users, timeline, fakers, new Random(settings.seed, STREAM.people));
  const queue = new StatementQueue(sql, PARALLEL_STATEMENTS);
  const context: SeedContext = { queue, log, batchSize: settings.batchSize, seed: settings.seed, timeline, people };

  await insertUsers(sql, context);
  const reports = await insertReports(context, buildTexts(fakerModule, settings.seed));
  const schedules = await insertSchedules(context);
  const meetings = await insertMeetings(context);
  await rebuildWeeklyAggregates(sql);
  log('rebuilt the weekly aggregates');
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
  if (!isIsoWeek(endWeek)) problems.push(`${isoWeekProblem('endWeek')}, got ${endWeek}`);
  if (problems.length) throw new SeedError('INVALID_SEED_OPTIONS', problems.join('; '));
  return {
    users: options.users,
    weeks: options.weeks,
    endWeek,
    seed: options.seed ?? DEFAULT_SEED,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
  };
}
