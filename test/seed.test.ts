// The deterministic seed: realistic shape, valid rows, a sound hierarchy, identical reruns, and a clear
// refusal to seed a populated database.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWeeks } from '../src/domain/iso-week.js';
import type { SqlClient } from '../src/infra/database/sql-client.js';
import { seedDataset, SeedError, type SeedOptions, type SeedSummary } from '../src/seed/seed-dataset.js';
import { createTestDatabase, type TestDatabase } from './kit/database.js';

// Crosses a year boundary; 150 people are enough to span every city of the seed's table.
const OPTIONS = { users: 150, weeks: 4, endWeek: '2026-W02' } satisfies SeedOptions;
const WEEKS = ['2025-W51', '2025-W52', '2026-W01', '2026-W02'];

let db: TestDatabase;
let summary: SeedSummary;
const progress: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  summary = await seedDataset({ sql: db.sql, ...OPTIONS, onProgress: (m) => progress.push(m) });
});

afterAll(async () => {
  await db?.destroy();
});

async function one<Row>(sql: SqlClient, text: string): Promise<Row> {
  const [row] = await sql.query<Row>(text);
  if (!row) throw new Error(`no row from: ${text}`);
  return row;
}

describe('seedDataset', () => {
  it('reports counts that match the tables, in realistic proportions', async () => {
    const counts = await one<Record<string, number>>(
      db.sql,
      `SELECT (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM weekly_reports) AS reports,
              (SELECT count(*)::int FROM hr_metrics) AS "hrMetrics",
              (SELECT count(*)::int FROM ops_metrics) AS "opsMetrics",
              (SELECT count(*)::int FROM work_schedules) AS schedules,
              (SELECT count(*)::int FROM team_meetings) AS meetings,
              (SELECT count(*)::int FROM "_MeetingAttendees") AS attendees`,
    );
    expect(summary).toEqual({ ...counts, firstWeek: WEEKS[0], endWeek: OPTIONS.endWeek });
    const dueReports = OPTIONS.users * OPTIONS.weeks;
    expect(counts.users).toBe(OPTIONS.users);
    expect(counts.reports).toBeGreaterThanOrEqual(0.78 * dueReports);
    expect(counts.reports).toBeLessThanOrEqual(0.95 * dueReports);
    expect(counts.hrMetrics).toBeGreaterThan(0.03 * counts.reports!);
    expect(counts.hrMetrics).toBeLessThan(0.35 * counts.reports!);
    expect(counts.opsMetrics).toBeGreaterThan(0.6 * counts.reports!);
    expect(counts.opsMetrics).toBeLessThan(0.95 * counts.reports!);
    expect(counts.schedules).toBeGreaterThan(4 * OPTIONS.users);
    expect(counts.schedules).toBeLessThan(12 * OPTIONS.users);
    expect(counts.meetings).toBeGreaterThan(0);
    expect(counts.attendees).toBeGreaterThan(counts.meetings!);
    expect(progress).toContain(`users ${OPTIONS.users}/${OPTIONS.users} (100%)`);
    expect(progress).toContain(`reports ${counts.reports}/${counts.reports} (100%)`);
  });

  it('creates people with unique emails across at least 10 countries and 30 cities, in a realistic role mix', async () => {
    const people = await one<Record<string, number>>(
      db.sql,
      `SELECT count(DISTINCT email)::int AS emails, count(DISTINCT country)::int AS countries,
              count(DISTINCT city)::int AS cities, count(*) FILTER (WHERE active)::int AS active,
              count(*) FILTER (WHERE role = 'EMPLOYEE')::int AS employees,
              count(*) FILTER (WHERE role = 'MANAGER')::int AS managers,
              count(*) FILTER (WHERE role = 'ANALYST')::int AS analysts,
              count(*) FILTER (WHERE role = 'ADMIN')::int AS admins,
              count(DISTINCT created_at::date)::int AS "creationDays"
       FROM users`,
    );
    expect(people.emails).toBe(OPTIONS.users);
    expect(people.countries).toBeGreaterThanOrEqual(10);
    expect(people.cities).toBeGreaterThanOrEqual(30);
    expect(people.employees).toBeGreaterThan(0.7 * OPTIONS.users);
    expect(people.managers).toBeGreaterThanOrEqual(OPTIONS.users / 12);
    expect(people.managers).toBeLessThanOrEqual(OPTIONS.users / 7);
    expect(people.analysts).toBeGreaterThanOrEqual(1);
    expect(people.admins).toBeGreaterThanOrEqual(1);
    expect(people.active).toBeGreaterThan(0.85 * OPTIONS.users);
    expect(people.active).toBeLessThan(OPTIONS.users);
    expect(people.creationDays).toBeGreaterThan(OPTIONS.users / 2);
    // A city belongs to one country.
    expect(await db.sql.query('SELECT city FROM users GROUP BY city HAVING count(DISTINCT country) > 1')).toEqual([]);
    const sample = await db.sql.query<{ email: string; name: string }>('SELECT email, name FROM users ORDER BY id LIMIT 20');
    for (const { email, name } of sample) {
      expect(email).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+\d*@[a-z0-9.-]+$/);
      expect(name).toMatch(/^\S+( \S+)+$/);
    }
  });

  it('builds a management hierarchy without self-management or cycles, led by managers', async () => {
    const selfManaged = await db.sql.query('SELECT id FROM users WHERE manager_id = id');
    expect(selfManaged).toEqual([]);
    const leadRoles = await db.sql.query<{ role: string }>(
      'SELECT DISTINCT m.role::text AS role FROM users u JOIN users m ON m.id = u.manager_id ORDER BY 1',
    );
    expect(leadRoles.map((r) => r.role)).toEqual(['MANAGER']);
    const employees = await one<{ total: number; managed: number }>(
      db.sql,
      `SELECT count(*)::int AS total, count(manager_id)::int AS managed FROM users WHERE role = 'EMPLOYEE'`,
    );
    expect(employees.managed).toBe(employees.total);
    // Some managers report to a senior manager; chains end within a few levels (no cycles).
    const depth = await one<{ depth: number; managedManagers: number }>(
      db.sql,
      `WITH RECURSIVE chain(id, manager_id, depth) AS (
         SELECT id, manager_id, 0 FROM users
         UNION ALL
         SELECT c.id, m.manager_id, c.depth + 1 FROM chain c JOIN users m ON m.id = c.manager_id WHERE c.depth < 20
       )
       SELECT max(depth)::int AS depth,
              (SELECT count(*)::int FROM users WHERE role = 'MANAGER' AND manager_id IS NOT NULL) AS "managedManagers"
       FROM chain`,
    );
    expect(depth.depth).toBeLessThanOrEqual(3);
    expect(depth.managedManagers).toBeGreaterThan(0);
  });

  it('writes reports for most people in most of the seeded weeks, with plausible values', async () => {
    const reports = await db.sql.query<{
      user_id: number;
      week: string;
      workdays: number;
      stress_level: number;
      highlights: string;
      blockers: string | null;
      before_joining: boolean;
    }>(
      `SELECT r.user_id, r.week, r.workdays, r.stress_level, r.highlights, r.blockers,
              r.submitted_at < u.created_at AS before_joining
       FROM weekly_reports r JOIN users u ON u.id = r.user_id ORDER BY r.id`,
    );
    expect([...new Set(reports.map((r) => r.week))].sort()).toEqual(WEEKS);
    expect(reports.filter((r) => r.before_joining)).toEqual([]);
    const share = (test: (r: (typeof reports)[number]) => boolean) => reports.filter(test).length / reports.length;
    expect(share((r) => r.workdays === 4 || r.workdays === 5)).toBeGreaterThan(0.7);
    expect(share((r) => r.blockers === null)).toBeGreaterThan(0.4);
    expect(share((r) => r.blockers === null)).toBeLessThan(0.95);
    expect(share((r) => r.highlights.trim().length > 5)).toBe(1);

    const perUser = new Map<number, number>();
    for (const r of reports) perUser.set(r.user_id, (perUser.get(r.user_id) ?? 0) + 1);
    const complete = [...perUser.values()].filter((n) => n === OPTIONS.weeks).length;
    expect(complete).toBeGreaterThan(0.5 * OPTIONS.users);
    expect(complete).toBeLessThan(OPTIONS.users); // some people miss weeks

    // Some people are stressed (>= 8) two weeks in a row, most never are.
    const stress = new Map(reports.map((r) => [`${r.user_id} ${r.week}`, r.stress_level]));
    const streaks = new Set(
      reports.filter((r) => r.stress_level >= 8 && (stress.get(`${r.user_id} ${addWeeks(r.week, -1)}`) ?? 0) >= 8).map((r) => r.user_id),
    );
    expect(streaks.size).toBeGreaterThan(0);
    expect(streaks.size).toBeLessThan(0.3 * OPTIONS.users);
  });

  it('writes consistent HR and ops metrics', async () => {
    const hr = await db.sql.query('SELECT * FROM hr_metrics WHERE offers > interviews OR hires > offers');
    expect(hr).toEqual([]);
    const ops = await db.sql.query('SELECT * FROM ops_metrics WHERE sla_breaches > incidents');
    expect(ops).toEqual([]);
    const spread = await one<{ interviews: number; tasks: number; orders: number }>(
      db.sql,
      `SELECT (SELECT count(DISTINCT interviews)::int FROM hr_metrics) AS interviews,
              (SELECT count(DISTINCT tasks_completed)::int FROM ops_metrics) AS tasks,
              (SELECT count(*)::int FROM ops_metrics WHERE orders_processed > 0) AS orders`,
    );
    expect(spread.interviews).toBeGreaterThan(3);
    expect(spread.tasks).toBeGreaterThan(10);
    expect(spread.orders).toBeGreaterThan(0);
  });

  it('schedules the last seeded week and the next one, and meetings of managers with their direct reports', async () => {
    const schedules = await one<{ from: string; to: string; remote: number; total: number }>(
      db.sql,
      `SELECT min(date)::text AS "from", max(date)::text AS "to", count(*) FILTER (WHERE remote)::int AS remote,
              count(*)::int AS total FROM work_schedules`,
    );
    expect(schedules.from >= '2026-01-05').toBe(true); // Monday of 2026-W02
    expect(schedules.to <= '2026-01-18').toBe(true); // Sunday of 2026-W03
    expect(schedules.remote).toBeGreaterThan(0);
    expect(schedules.remote).toBeLessThan(schedules.total);

    const wrongOrganizers = await db.sql.query(
      `SELECT m.id FROM team_meetings m JOIN users o ON o.id = m.organizer_id
       WHERE o.role <> 'MANAGER' OR m.city <> o.city OR m.duration_minutes NOT BETWEEN 15 AND 240`,
    );
    expect(wrongOrganizers).toEqual([]);
    const strangers = await db.sql.query(
      `SELECT a."A", a."B" FROM "_MeetingAttendees" a JOIN team_meetings m ON m.id = a."A" JOIN users u ON u.id = a."B"
       WHERE u.manager_id IS DISTINCT FROM m.organizer_id`,
    );
    expect(strangers).toEqual([]);
  });

  it('leaves the id sequences after the seeded rows', async () => {
    const rollback = new Error('rollback');
    await expect(
      db.sql.transaction(async (tx) => {
        const [user] = await tx.query<{ id: number }>(
          `INSERT INTO users (email, name, city, country, updated_at)
           VALUES ('new@pulse.example', 'New Person', 'Berlin', 'DE', now()) RETURNING id`,
        );
        const [report] = await tx.query<{ id: number }>(
          `INSERT INTO weekly_reports (user_id, week, workdays, stress_level, highlights, updated_at)
           VALUES ($1, '2026-W03', 5, 3, 'x', now()) RETURNING id`,
          [user!.id],
        );
        expect(user!.id).toBe(OPTIONS.users + 1);
        expect(report!.id).toBe(summary.reports + 1);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it('refuses to seed a database that already has users unless asked to reset', async () => {
    await expect(seedDataset({ sql: db.sql, ...OPTIONS })).rejects.toMatchObject({
      name: 'SeedError',
      code: 'DATABASE_NOT_EMPTY',
      message: expect.stringMatching(/already has 150 users.*--reset/),
    });
    expect((await one<{ n: number }>(db.sql, 'SELECT count(*)::int AS n FROM users')).n).toBe(OPTIONS.users);
  });

  it('rejects invalid options before touching the database', async () => {
    for (const bad of [{ users: 0 }, { weeks: 1.5 }, { endWeek: '2026-W54' }, { batchSize: -1 }]) {
      const error = await seedDataset({ sql: db.sql, ...OPTIONS, reset: true, ...bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SeedError);
      expect(error).toMatchObject({ code: 'INVALID_SEED_OPTIONS' });
    }
    expect((await one<{ n: number }>(db.sql, 'SELECT count(*)::int AS n FROM users')).n).toBe(OPTIONS.users);
  });

  it('reseeds identical rows with reset, whatever the batch size, and other rows for another seed', async () => {
    const before = await fingerprint(db.sql);
    // Small batches also split managers from their reports across statements.
    await seedDataset({ sql: db.sql, ...OPTIONS, reset: true, batchSize: 37 });
    expect(await fingerprint(db.sql)).toEqual(before);
    await seedDataset({ sql: db.sql, ...OPTIONS, reset: true, seed: 7 });
    const other = await fingerprint(db.sql);
    for (const table of Object.keys(before)) expect(other[table], table).not.toBe(before[table]);
  });
});

describe('npm run seed', () => {
  it('exits with code 2 and a one-line message on bad arguments', async () => {
    const cases = [['--users', '0'], ['--end-week', '2026-53'], ['--bogus']];
    const runs = await Promise.all(
      cases.map((args) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', ...args]).then(
          () => ({ code: 0, stderr: '' }),
          (error: { code: number; stderr: string }) => error,
        ),
      ),
    );
    for (const [i, run] of runs.entries()) {
      const label = cases[i]!.join(' ');
      expect(run.code, label).toBe(2);
      expect(run.stderr.trim().split('\n'), label).toHaveLength(1);
      expect(run.stderr, label).toMatch(/^seed: .*usage: npm run seed/);
    }
  });
});

/** An md5 per table over every column of every row, in key order. */
async function fingerprint(sql: SqlClient): Promise<Record<string, string>> {
  const keys: Record<string, string[]> = {
    users: ['id'],
    weekly_reports: ['id'],
    hr_metrics: ['report_id'],
    ops_metrics: ['report_id'],
    work_schedules: ['id'],
    team_meetings: ['id'],
    _MeetingAttendees: ['"A"', '"B"'],
  };
  const columns = Object.entries(keys).map(([table, key]) => {
    const order = key.map((column) => `t.${column}`).join(', ');
    return `(SELECT md5(string_agg(t::text, '|' ORDER BY ${order})) FROM "${table}" t) AS "${table}"`;
  });
  return one<Record<string, string>>(sql, `SELECT ${columns.join(', ')}`);
}
