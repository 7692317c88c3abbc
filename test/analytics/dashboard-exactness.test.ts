// The pre-aggregated path equals a straightforward computation over the raw rows, for every figure of
// dashboardStats (totals, previous week, by country, city and role), after a bulk load (rebuild) and after
// hundreds of random submits and resubmits (the incremental path). Floats compare to the stated rounding.
// Every figure with nothing suppressed (minimum group size 1), and at the configured minimum: shown groups
// exactly, groups of fewer reports withheld (which others are withheld with them: privacy.test.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addWeeks, previousWeek } from '../../src/domain/iso-week.js';
import { computeDashboardStats, type DashboardFigures } from '../../src/services/compute-dashboard-stats.js';
import { seedDataset } from '../../src/seed/seed-dataset.js';
import { submitWeeklyReport } from '../../src/services/submit-weekly-report.js';
import { createTestDatabase, type TestDatabase } from '../kit/database.js';

const END_WEEK = '2026-W20';
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDataset({ sql: db.sql, users: 150, weeks: 4, endWeek: END_WEEK });
});
afterAll(() => db?.destroy());

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** The same figures, computed the obvious way from weekly_reports, users and the metrics tables. */
async function rawFigures(week: string, where: string, params: unknown[]): Promise<DashboardFigures> {
  const [row] = await db.sql.query<Record<string, number | null>>(
    `SELECT count(r.id)::int AS reports, sum(r.stress_level)::int AS stress_sum, sum(r.workdays)::int AS workdays_sum,
            coalesce(sum(h.interviews), 0)::int AS interviews, coalesce(sum(h.offers), 0)::int AS offers,
            coalesce(sum(h.hires), 0)::int AS hires, coalesce(sum(h.attritions), 0)::int AS attritions,
            coalesce(sum(o.orders_processed), 0)::int AS orders, coalesce(sum(o.tasks_completed), 0)::int AS tasks,
            coalesce(sum(o.incidents), 0)::int AS incidents, coalesce(sum(o.sla_breaches), 0)::int AS sla
     FROM weekly_reports r JOIN users u ON u.id = r.user_id
     LEFT JOIN hr_metrics h ON h.report_id = r.id LEFT JOIN ops_metrics o ON o.report_id = r.id
     WHERE r.week = $1 ${where}`,
    [week, ...params],
  );
  const distribution = await db.sql.query<{ level: number; n: number }>(
    `SELECT r.stress_level AS level, count(*)::int AS n FROM weekly_reports r JOIN users u ON u.id = r.user_id
     WHERE r.week = $1 ${where} GROUP BY r.stress_level`,
    [week, ...params],
  );
  const [active] = await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users u WHERE u.active ${where.replace(/\$(\d+)/g, (_, i) => `$${Number(i) - 1}`)}`,
    params,
  );
  const reports = row!.reports!;
  return {
    reportsSubmitted: reports,
    activeUsers: active!.n,
    submissionRate: active!.n ? round(reports / active!.n, 4) : 0,
    suppressed: false,
    averageStress: reports ? round(row!.stress_sum! / reports, 2) : null,
    stressDistribution: Array.from({ length: 10 }, (_, i) => distribution.find((d) => d.level === i + 1)?.n ?? 0),
    averageWorkdays: reports ? round(row!.workdays_sum! / reports, 2) : null,
    hr: { interviews: row!.interviews!, offers: row!.offers!, hires: row!.hires!, attritions: row!.attritions! },
    ops: { ordersProcessed: row!.orders!, tasksCompleted: row!.tasks!, incidents: row!.incidents!, slaBreaches: row!.sla! },
  };
}

const K = loadConfig({}).analytics.minGroupSize;

/** At the configured minimum: a group of 1..K-1 reports is suppressed; a suppressed group keeps only its counts. */
function expectShownOrWithheld<F extends DashboardFigures>(label: string, got: F, exact: F) {
  if (exact.reportsSubmitted > 0 && exact.reportsSubmitted < K) expect(got.suppressed, label).toBe(true);
  const withheld = { suppressed: true, averageStress: null, stressDistribution: null, averageWorkdays: null, hr: null, ops: null };
  expect(got, label).toEqual(got.suppressed ? { ...exact, ...withheld } : exact);
}

async function expectExact(week: string, filter: { country?: string; city?: string } = {}) {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.country) conditions.push(`AND u.country = $${params.push(filter.country) + 1}`);
  if (filter.city) conditions.push(`AND u.city = $${params.push(filter.city) + 1}`);
  const where = conditions.join(' ');
  const label = `${week} ${JSON.stringify(filter)}`;
  const stats = await computeDashboardStats({ prisma: db.prisma, week, filter, minGroupSize: 1 });
  const suppressed = await computeDashboardStats({ prisma: db.prisma, week, filter, minGroupSize: K });
  const current = await rawFigures(week, where, params);
  expect(stats.current, label).toEqual(current);
  expectShownOrWithheld(`${label} current`, suppressed.current, current);
  const previous = await rawFigures(previousWeek(week), where, params);
  const now = { activeUsers: previous.activeUsers, submissionRate: previous.submissionRate };
  expect({ ...stats.previous, ...now }).toEqual({ week: previousWeek(week), ...previous });
  expectShownOrWithheld(`${label} previous`, { ...suppressed.previous, ...now }, { week: previousWeek(week), ...previous });
  for (const grp of ['byCountry', 'byCity', 'byRole'] as const) {
    const column = { byCountry: 'country', byCity: 'city', byRole: 'role' }[grp];
    expect(stats[grp].length).toBeGreaterThan(0);
    expect(suppressed[grp].map((b) => b.key)).toEqual(stats[grp].map((b) => b.key));
    for (const [i, { key, figures }] of stats[grp].entries()) {
      const n = params.length + 2;
      const exact = await rawFigures(week, `${where} AND u.${column}::text = $${n}`, [...params, key]);
      expect(figures, `${label} ${column}=${key}`).toEqual(exact);
      expectShownOrWithheld(`${label} ${column}=${key} at ${K}`, suppressed[grp][i]!.figures, exact);
    }
  }
}

it('matches the raw rows after a bulk load', async () => {
  for (let w = 0; w < 4; w++) await expectExact(addWeeks(END_WEEK, -w));
  const [place] = await db.sql.query<{ country: string; city: string }>('SELECT country, city FROM users ORDER BY id LIMIT 1');
  await expectExact(END_WEEK, { country: place!.country });
  await expectExact(END_WEEK, { country: place!.country, city: place!.city });
});

it('stays exact through hundreds of random submits and resubmits', async () => {
  const users = await db.sql.query<{ id: number; role: 'EMPLOYEE' | 'MANAGER' | 'ANALYST' | 'ADMIN' }>(
    "SELECT id, role FROM users WHERE role <> 'ANALYST' ORDER BY id LIMIT 60",
  );
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const now = new Date('2026-06-01T00:00:00Z');
  for (let i = 0; i < 300; i++) {
    const user = users[random(users.length)]!;
    const week = addWeeks(END_WEEK, -random(5)); // includes a week before the seeded range
    const metrics = random(3);
    await submitWeeklyReport({
      prisma: db.prisma,
      viewer: { kind: 'user', id: user.id, role: user.role, managerId: null },
      now,
      input: {
        week,
        workdays: random(8),
        stressLevel: 1 + random(10),
        highlights: `random ${i}`,
        ...(metrics === 0
          ? {
              hrMetrics: null,
              opsMetrics: { ordersProcessed: random(50), tasksCompleted: random(20), incidents: random(3), slaBreaches: random(2) },
            }
          : {}),
        ...(metrics === 1
          ? { hrMetrics: { interviews: random(5), offers: random(3), hires: random(2), attritions: random(2) }, opsMetrics: null }
          : {}),
      },
    });
  }
  for (let w = 0; w < 5; w++) await expectExact(addWeeks(END_WEEK, -w));
  const [place] = await db.sql.query<{ country: string; city: string }>('SELECT country, city FROM users WHERE id = $1', [users[0]!.id]);
  await expectExact(END_WEEK, { country: place!.country, city: place!.city });
});

it('keeps active-user counts exact when people are deactivated, move or change role', async () => {
  await db.sql.exec(`
    UPDATE users SET active = NOT active WHERE id % 7 = 0;
    UPDATE users SET city = 'Porto', country = 'PT' WHERE id % 11 = 0;
    UPDATE users SET role = 'MANAGER' WHERE id % 13 = 0 AND role = 'EMPLOYEE';
    DELETE FROM users WHERE id IN (SELECT id FROM users WHERE id % 17 = 0 AND NOT EXISTS (SELECT 1 FROM users m WHERE m.manager_id = users.id) LIMIT 5);
    INSERT INTO users (email, name, city, country, updated_at) VALUES ('new-hire@example.com', 'New Hire', 'Porto', 'PT', now());`);
  // Reports follow their author's current place and role: rebuild the weekly figures after the moves.
  const { rebuildWeeklyAggregates } = await import('../../src/services/weekly-aggregates.js');
  await rebuildWeeklyAggregates(db.sql);
  await expectExact(END_WEEK);
  await expectExact(END_WEEK, { country: 'PT', city: 'Porto' });
});
