// Per-country weekly series of the core figures over a range of weeks (at most 53), from the
// pre-aggregated table: one grouped query, no report rows.
import { addWeeks, isoWeekStart } from '../domain/iso-week.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ServiceError } from './service-error.js';

export const MAX_ANALYTICS_WEEKS = 53;

export interface CountryWeek {
  week: string;
  reportsSubmitted: number;
  averageStress: number | null;
  averageWorkdays: number | null;
  highStressReports: number;
  hires: number;
  attritions: number;
  incidents: number;
  slaBreaches: number;
}

export interface CountrySeries {
  country: string;
  activeUsers: number;
  weeks: CountryWeek[];
}

/** Number of weeks from `from` to `to`, both included. */
export function weeksBetween(from: string, to: string): number {
  return Math.round((isoWeekStart(to).getTime() - isoWeekStart(from).getTime()) / (7 * 86_400_000)) + 1;
}

export async function computeCountryAnalytics(prisma: PrismaClient, from: string, to: string): Promise<CountrySeries[]> {
  const span = weeksBetween(from, to);
  if (span < 1) throw new ServiceError('BAD_USER_INPUT', 'to: must not be before from', 'to');
  if (span > MAX_ANALYTICS_WEEKS) {
    throw new ServiceError('BAD_USER_INPUT', `to: at most ${MAX_ANALYTICS_WEEKS} weeks per request`, 'to');
  }
  const [rows, active] = await Promise.all([
    prisma.$queryRaw<
      { country: string; week: string; reports: number; stress_sum: number; workdays_sum: number; high: number; hires: number; attritions: number; incidents: number; sla: number }[]
    >`
      SELECT country, week, sum(reports)::int AS reports, sum(stress_sum)::int AS stress_sum, sum(workdays_sum)::int AS workdays_sum,
             sum(stress_8 + stress_9 + stress_10)::int AS high, sum(hires)::int AS hires, sum(attritions)::int AS attritions,
             sum(incidents)::int AS incidents, sum(sla_breaches)::int AS sla
      FROM weekly_report_aggregates
      WHERE week BETWEEN ${from} AND ${to}
      GROUP BY country, week`,
    prisma.$queryRaw<{ country: string; n: number }[]>`SELECT country, sum(active_users)::int AS n FROM user_population GROUP BY country`,
  ]);
  const weeks = Array.from({ length: span }, (_, i) => addWeeks(from, i));
  const countries = [...new Set([...rows.map((r) => r.country), ...active.map((a) => a.country)])].sort();
  const round2 = (v: number) => Math.round(v * 100) / 100;
  return countries.map((country) => ({
    country,
    activeUsers: active.find((a) => a.country === country)?.n ?? 0,
    weeks: weeks.map((week) => {
      const row = rows.find((r) => r.country === country && r.week === week);
      const reports = row?.reports ?? 0;
      return {
        week,
        reportsSubmitted: reports,
        averageStress: reports ? round2(row!.stress_sum / reports) : null,
        averageWorkdays: reports ? round2(row!.workdays_sum / reports) : null,
        highStressReports: row?.high ?? 0,
        hires: row?.hires ?? 0,
        attritions: row?.attritions ?? 0,
        incidents: row?.incidents ?? 0,
        slaBreaches: row?.sla ?? 0,
      };
    }),
  }));
}
