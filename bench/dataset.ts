// The benchmark's database: created if missing, migrated, seeded with the deterministic dataset unless it
// already holds one of the requested size, and read for the facts scenarios need (weeks, the analyst who
// asks, the row a deep page starts after).
import { spawn } from 'node:child_process';
import pg from 'pg';
import { migrate } from '../src/infra/database/migrator.js';
import { pgSqlClient } from '../src/infra/database/sql-client.js';
import { ROOT } from './processes.js';

export interface DatasetSize {
  users: number;
  weeks: number;
}

/**
 * `default` is about a million reports: the seed's people submit ~86% of their weeks, so the issue's
 * 20k users x 52 weeks give 0.9M; 23k give 1.03M. `large` is 100k users x 52 weeks (~4.5M reports).
 */
export const SCALES = {
  default: { users: 23_000, weeks: 52 },
  large: { users: 100_000, weeks: 52 },
} as const satisfies Record<string, DatasetSize>;

export interface Dataset extends DatasetSize {
  reports: number;
  hrMetrics: number;
  opsMetrics: number;
  /** Every week with reports, oldest first. */
  weekList: string[];
  latestWeek: string;
  /** An active ANALYST: reads everything, so every contender returns the same rows. */
  analystId: number;
  /** The report a deep page starts after: 41st from the end in (week desc, id desc) order. */
  deepAnchor: { week: string; id: number; index: number };
  /** Seconds spent seeding in this run (0 when the dataset was already there). */
  seededSeconds: number;
}

async function ensureDatabase(url: string, log: (m: string) => void): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // other than "database does not exist"
  } finally {
    await probe.end().catch(() => {});
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    log(`created database ${name}`);
  } finally {
    await admin.end();
  }
}

function runSeed(url: string, size: DatasetSize): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/seed.ts', '--users', String(size.users), '--weeks', String(size.weeks), '--reset'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: url, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed exited with ${code}`))));
  });
}

export async function prepareDataset(
  url: string,
  size: DatasetSize,
  options: { reseed: boolean; log: (message: string) => void },
): Promise<Dataset> {
  const { log } = options;
  await ensureDatabase(url, log);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const sql = pgSqlClient(pool);
    const { applied } = await migrate(sql);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);

    const [present] = await sql.query<{ users: number; weeks: number }>(
      `SELECT (SELECT count(*)::int FROM users) AS users,
              (SELECT count(DISTINCT week)::int FROM weekly_report_aggregates) AS weeks`,
    );
    const matches = present!.users === size.users && present!.weeks === size.weeks;
    let seededSeconds = 0;
    if (!matches || options.reseed) {
      const name = decodeURIComponent(new URL(url).pathname.slice(1));
      // Seeding replaces every row: never silently in a database that is not obviously the benchmark's.
      if (present!.users > 0 && !options.reseed && !/bench/i.test(name)) {
        throw new Error(
          `database ${name} holds ${present!.users} users x ${present!.weeks} weeks, not ${size.users} x ${size.weeks}; ` +
            'pass --reseed to replace its data, or point BENCH_DATABASE_URL at a database of its own',
        );
      }
      log(`seeding ${size.users} users x ${size.weeks} weeks (was ${present!.users} x ${present!.weeks})`);
      const started = performance.now();
      await runSeed(url, size);
      // Fresh statistics and visibility map for every contender alike.
      await sql.exec('VACUUM ANALYZE');
      seededSeconds = (performance.now() - started) / 1000;
    } else {
      log(`dataset present: ${size.users} users x ${size.weeks} weeks (pass --reseed to rebuild it)`);
      // A restored or freshly copied database has no planner statistics until autovacuum gets to it, and
      // without them PostgreSQL picks plans no production database would (seconds instead of milliseconds).
      const [stale] = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_user_tables
         WHERE relname IN ('users', 'weekly_reports', 'hr_metrics', 'ops_metrics', 'weekly_report_aggregates')
           AND last_analyze IS NULL AND last_autoanalyze IS NULL`,
      );
      if (stale!.n > 0) {
        log('tables without planner statistics: VACUUM ANALYZE');
        await sql.exec('VACUUM ANALYZE');
      }
    }

    const [counts] = await sql.query<{ reports: number; hr: number; ops: number }>(
      `SELECT (SELECT count(*)::int FROM weekly_reports) AS reports, (SELECT count(*)::int FROM hr_metrics) AS hr,
              (SELECT count(*)::int FROM ops_metrics) AS ops`,
    );
    const weekList = (await sql.query<{ week: string }>('SELECT DISTINCT week FROM weekly_report_aggregates ORDER BY week')).map(
      (r) => r.week,
    );
    const [analyst] = await sql.query<{ id: number }>(`SELECT id FROM users WHERE role = 'ANALYST' AND active ORDER BY id LIMIT 1`);
    if (!analyst) throw new Error('the dataset has no active ANALYST to send requests as');
    const [anchor] = await sql.query<{ week: string; id: number }>(
      'SELECT week, id FROM weekly_reports ORDER BY week, id OFFSET 40 LIMIT 1',
    );
    return {
      ...size,
      reports: counts!.reports,
      hrMetrics: counts!.hr,
      opsMetrics: counts!.ops,
      weekList,
      latestWeek: weekList.at(-1)!,
      analystId: analyst.id,
      deepAnchor: { week: anchor!.week, id: anchor!.id, index: counts!.reports - 41 },
      seededSeconds,
    };
  } finally {
    await pool.end();
  }
}
