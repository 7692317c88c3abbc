// The aggregates of one week that the weekly summary is written from, computed in SQL (no report rows
// are loaded into Node). No names or emails: the summary and its prompt carry figures only.
import type { PrismaClient } from '../generated/prisma/client.js';
import { previousWeek } from '../domain/iso-week.js';

export interface WeekStats {
  week: string;
  activeUsers: number;
  reportsSubmitted: number;
  submissionRate: number;
  averageStress: number | null;
  averageWorkdays: number | null;
  highStressReports: number;
  hr: { interviews: number; offers: number; hires: number; attritions: number };
  ops: { ordersProcessed: number; tasksCompleted: number; incidents: number; slaBreaches: number };
  previousWeek: { week: string; reportsSubmitted: number; averageStress: number | null };
}

interface Row {
  reports: number;
  avg_stress: number | null;
  avg_workdays: number | null;
  high_stress: number;
  interviews: number;
  offers: number;
  hires: number;
  attritions: number;
  orders: number;
  tasks: number;
  incidents: number;
  sla: number;
}

async function weekRow(prisma: PrismaClient, week: string): Promise<Row> {
  const [row] = await prisma.$queryRaw<Row[]>`
    SELECT count(*)::int AS reports,
           round(avg(r.stress_level), 2)::float8 AS avg_stress,
           round(avg(r.workdays), 2)::float8 AS avg_workdays,
           (count(*) FILTER (WHERE r.stress_level >= 8))::int AS high_stress,
           coalesce(sum(h.interviews), 0)::int AS interviews, coalesce(sum(h.offers), 0)::int AS offers,
           coalesce(sum(h.hires), 0)::int AS hires, coalesce(sum(h.attritions), 0)::int AS attritions,
           coalesce(sum(o.orders_processed), 0)::int AS orders, coalesce(sum(o.tasks_completed), 0)::int AS tasks,
           coalesce(sum(o.incidents), 0)::int AS incidents, coalesce(sum(o.sla_breaches), 0)::int AS sla
    FROM weekly_reports r
    LEFT JOIN hr_metrics h ON h.report_id = r.id
    LEFT JOIN ops_metrics o ON o.report_id = r.id
    WHERE r.week = ${week}`;
  return row!;
}

export interface ComputeWeekStatsOptions {
  prisma: PrismaClient;
  week: string;
}

export async function computeWeekStats({ prisma, week }: ComputeWeekStatsOptions): Promise<WeekStats> {
  const previous = previousWeek(week);
  const [current, before, active] = await Promise.all([
    weekRow(prisma, week),
    weekRow(prisma, previous),
    prisma.user.count({ where: { active: true } }),
  ]);
  return {
    week,
    activeUsers: active,
    reportsSubmitted: current.reports,
    submissionRate: active ? Math.round((current.reports / active) * 10_000) / 10_000 : 0,
    averageStress: current.avg_stress,
    averageWorkdays: current.avg_workdays,
    highStressReports: current.high_stress,
    hr: { interviews: current.interviews, offers: current.offers, hires: current.hires, attritions: current.attritions },
    ops: { ordersProcessed: current.orders, tasksCompleted: current.tasks, incidents: current.incidents, slaBreaches: current.sla },
    previousWeek: { week: previous, reportsSubmitted: before.reports, averageStress: before.avg_stress },
  };
}
