// Keeps `weekly_report_aggregates` equal to what the raw reports say: every report write applies its
// difference (old figures out, new figures in) to its (week, country, city, role) row in the same
// transaction; bulk loads rebuild the table from the reports. Dashboard statistics read only this table.
import type { Prisma } from '../generated/prisma/client.js';
import type { SqlClient } from '../infra/database/sql-client.js';

export interface ReportFigures {
  stressLevel: number;
  workdays: number;
  hr: { interviews: number; offers: number; hires: number; attritions: number } | null;
  ops: { ordersProcessed: number; tasksCompleted: number; incidents: number; slaBreaches: number } | null;
}

type Tx = Prisma.TransactionClient;

/** The stored figures of a user's report for a week (locked for the transaction), or null. */
export async function lockedReportFigures(tx: Tx, userId: number, week: string): Promise<ReportFigures | null> {
  const rows = await tx.$queryRaw<
    {
      stress_level: number;
      workdays: number;
      interviews: number | null;
      offers: number | null;
      hires: number | null;
      attritions: number | null;
      has_hr: boolean;
      orders_processed: number | null;
      tasks_completed: number | null;
      incidents: number | null;
      sla_breaches: number | null;
      has_ops: boolean;
    }[]
  >`
    SELECT r.stress_level, r.workdays,
           h.interviews, h.offers, h.hires, h.attritions, h.report_id IS NOT NULL AS has_hr,
           o.orders_processed, o.tasks_completed, o.incidents, o.sla_breaches, o.report_id IS NOT NULL AS has_ops
    FROM weekly_reports r
    LEFT JOIN hr_metrics h ON h.report_id = r.id
    LEFT JOIN ops_metrics o ON o.report_id = r.id
    WHERE r.user_id = ${userId} AND r.week = ${week}
    FOR UPDATE OF r`;
  const row = rows[0];
  if (!row) return null;
  return {
    stressLevel: row.stress_level,
    workdays: row.workdays,
    hr: row.has_hr ? { interviews: row.interviews!, offers: row.offers!, hires: row.hires!, attritions: row.attritions! } : null,
    ops: row.has_ops
      ? {
          ordersProcessed: row.orders_processed!,
          tasksCompleted: row.tasks_completed!,
          incidents: row.incidents!,
          slaBreaches: row.sla_breaches!,
        }
      : null,
  };
}

/** Serialises writes of one user's week (first submits included, when there is no row to lock yet). */
export async function lockReportSlot(tx: Tx, userId: number, week: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`weekly-report:${userId}:${week}`}))`;
}

/** Applies `after - before` to the aggregate row of the user's current country, city and role. */
export async function applyReportChange(tx: Tx, userId: number, week: string, before: ReportFigures | null, after: ReportFigures | null) {
  const sign = (f: ReportFigures | null, k: number) => (f ? k : 0);
  const d = (pick: (f: ReportFigures) => number) => (after ? pick(after) : 0) - (before ? pick(before) : 0);
  const stress = Array.from(
    { length: 10 },
    (_, i) => sign(after, after?.stressLevel === i + 1 ? 1 : 0) - sign(before, before?.stressLevel === i + 1 ? 1 : 0),
  );
  const hr = (k: keyof NonNullable<ReportFigures['hr']>) => d((f) => f.hr?.[k] ?? 0);
  const ops = (k: keyof NonNullable<ReportFigures['ops']>) => d((f) => f.ops?.[k] ?? 0);
  const reports = (after ? 1 : 0) - (before ? 1 : 0);
  await tx.$executeRaw`
    INSERT INTO weekly_report_aggregates AS a (week, country, city, role, reports, stress_sum, workdays_sum,
      stress_1, stress_2, stress_3, stress_4, stress_5, stress_6, stress_7, stress_8, stress_9, stress_10,
      interviews, offers, hires, attritions, orders_processed, tasks_completed, incidents, sla_breaches)
    SELECT ${week}, u.country, u.city, u.role, ${reports}::int, ${d((f) => f.stressLevel)}::int, ${d((f) => f.workdays)}::int,
      ${stress[0]}::int, ${stress[1]}::int, ${stress[2]}::int, ${stress[3]}::int, ${stress[4]}::int,
      ${stress[5]}::int, ${stress[6]}::int, ${stress[7]}::int, ${stress[8]}::int, ${stress[9]}::int,
      ${hr('interviews')}::int, ${hr('offers')}::int, ${hr('hires')}::int, ${hr('attritions')}::int,
      ${ops('ordersProcessed')}::int, ${ops('tasksCompleted')}::int, ${ops('incidents')}::int, ${ops('slaBreaches')}::int
    FROM users u WHERE u.id = ${userId}
    ON CONFLICT (week, country, city, role) DO UPDATE SET
      reports = a.reports + EXCLUDED.reports, stress_sum = a.stress_sum + EXCLUDED.stress_sum,
      workdays_sum = a.workdays_sum + EXCLUDED.workdays_sum,
      stress_1 = a.stress_1 + EXCLUDED.stress_1, stress_2 = a.stress_2 + EXCLUDED.stress_2,
      stress_3 = a.stress_3 + EXCLUDED.stress_3, stress_4 = a.stress_4 + EXCLUDED.stress_4,
      stress_5 = a.stress_5 + EXCLUDED.stress_5, stress_6 = a.stress_6 + EXCLUDED.stress_6,
      stress_7 = a.stress_7 + EXCLUDED.stress_7, stress_8 = a.stress_8 + EXCLUDED.stress_8,
      stress_9 = a.stress_9 + EXCLUDED.stress_9, stress_10 = a.stress_10 + EXCLUDED.stress_10,
      interviews = a.interviews + EXCLUDED.interviews, offers = a.offers + EXCLUDED.offers,
      hires = a.hires + EXCLUDED.hires, attritions = a.attritions + EXCLUDED.attritions,
      orders_processed = a.orders_processed + EXCLUDED.orders_processed,
      tasks_completed = a.tasks_completed + EXCLUDED.tasks_completed,
      incidents = a.incidents + EXCLUDED.incidents, sla_breaches = a.sla_breaches + EXCLUDED.sla_breaches`;
}

/** The whole table, recomputed from the reports (after bulk loads such as the seed). */
export const REBUILD_WEEKLY_AGGREGATES = `
  TRUNCATE weekly_report_aggregates;
  INSERT INTO weekly_report_aggregates (week, country, city, role, reports, stress_sum, workdays_sum,
    stress_1, stress_2, stress_3, stress_4, stress_5, stress_6, stress_7, stress_8, stress_9, stress_10,
    interviews, offers, hires, attritions, orders_processed, tasks_completed, incidents, sla_breaches)
  SELECT r.week, u.country, u.city, u.role, count(*), sum(r.stress_level), sum(r.workdays),
    count(*) FILTER (WHERE r.stress_level = 1), count(*) FILTER (WHERE r.stress_level = 2),
    count(*) FILTER (WHERE r.stress_level = 3), count(*) FILTER (WHERE r.stress_level = 4),
    count(*) FILTER (WHERE r.stress_level = 5), count(*) FILTER (WHERE r.stress_level = 6),
    count(*) FILTER (WHERE r.stress_level = 7), count(*) FILTER (WHERE r.stress_level = 8),
    count(*) FILTER (WHERE r.stress_level = 9), count(*) FILTER (WHERE r.stress_level = 10),
    coalesce(sum(h.interviews), 0), coalesce(sum(h.offers), 0), coalesce(sum(h.hires), 0), coalesce(sum(h.attritions), 0),
    coalesce(sum(o.orders_processed), 0), coalesce(sum(o.tasks_completed), 0), coalesce(sum(o.incidents), 0), coalesce(sum(o.sla_breaches), 0)
  FROM weekly_reports r
  JOIN users u ON u.id = r.user_id
  LEFT JOIN hr_metrics h ON h.report_id = r.id
  LEFT JOIN ops_metrics o ON o.report_id = r.id
  GROUP BY r.week, u.country, u.city, u.role`;

export async function rebuildWeeklyAggregates(sql: SqlClient): Promise<void> {
  await sql.transaction((tx) => tx.exec(REBUILD_WEEKLY_AGGREGATES));
}
