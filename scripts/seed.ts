// `npm run seed -- --users N --weeks W [--reset] [--end-week YYYY-Www] [--seed S]`: migrates the database
// (DATABASE_URL, or the embedded folder) and fills it with the deterministic dataset.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { isIsoWeek, isoWeekProblem } from '../src/domain/iso-week.js';
import { migrate } from '../src/infra/database/migrator.js';
import { openDatabase } from '../src/infra/database/open-database.js';
import { DEFAULT_SEED, DEMO_DATASET, seedDataset, SeedError, type SeedOptions } from '../src/seed/seed-dataset.js';

const USAGE = 'usage: npm run seed -- [--users N] [--weeks W] [--reset] [--end-week YYYY-Www] [--seed S]';

class UsageError extends Error {}

function parseOptions(argv: string[]): SeedOptions {
  const { values } = (() => {
    try {
      return parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
          users: { type: 'string' },
          weeks: { type: 'string' },
          reset: { type: 'boolean', default: false },
          'end-week': { type: 'string' },
          seed: { type: 'string' },
          help: { type: 'boolean', short: 'h', default: false },
        },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const integer = (name: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
      throw new UsageError(`--${name} must be ${min > 0 ? 'a positive' : 'a non-negative'} integer, got '${value}'`);
    }
    return Number(value);
  };
  const endWeek = values['end-week'];
  if (endWeek !== undefined && !isIsoWeek(endWeek)) {
    throw new UsageError(`${isoWeekProblem('--end-week')}, got '${endWeek}'`);
  }
  return {
    users: integer('users', values.users, DEMO_DATASET.users, 1),
    weeks: integer('weeks', values.weeks, DEMO_DATASET.weeks, 1),
    reset: values.reset,
    seed: integer('seed', values.seed, DEFAULT_SEED, 0),
    ...(endWeek ? { endWeek } : {}),
  };
}

async function main() {
  let options: SeedOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`seed: ${error.message} (${USAGE})`);
    process.exit(2);
  }
  const config = loadConfig();
  let started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  const db = await openDatabase(config.database);
  try {
    await migrate(db.sql, { log: (m) => console.error(m) });
    const where = config.database.mode === 'postgres' ? 'PostgreSQL' : `the embedded database in ${config.database.dir}`;
    console.error(`opened and migrated ${where} in ${elapsed()}; seeding ${options.users} users x ${options.weeks} weeks`);
    started = performance.now();
    const summary = await seedDataset({ sql: db.sql, ...options, onProgress: (m) => console.error(`[${elapsed()}] ${m}`) });
    console.log(
      `seeded weeks ${summary.firstWeek}..${summary.endWeek}: ${summary.users} users, ${summary.reports} reports ` +
        `(${summary.hrMetrics} HR metrics, ${summary.opsMetrics} ops metrics), ${summary.schedules} schedules, ` +
        `${summary.meetings} meetings with ${summary.attendees} attendees in ${elapsed()}`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  const expected = error instanceof ConfigError || error instanceof SeedError;
  console.error(expected ? error.message : `seed failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
