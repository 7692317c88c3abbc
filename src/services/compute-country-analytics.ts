// Per-country weekly series of the core figures over a range of weeks (at most 53), from the
// pre-aggregated table: one grouped query, no report rows. Each week's countries are suppressed as
// dashboardStats' unfiltered byCountry rows are (same rule, same picks), so neither reveals more than the other.
import { addWeeks, isoWeekStart } from '../domain/iso-week.js';
import { DEFAULT_MIN_GROUP_SIZE, suppressedGroups } from '../domain/small-group-suppression.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { AppError } from '../domain/errors.js';

export const MAX_ANALYTICS_WEEKS = 53;

export interface CountryWeek {
  week: string;
  /** Exact, suppressed or not. */
  reportsSubmitted: number;
  /** The figures below are withheld (null): fewer reports than the minimum group size, or hiding such a country. */
  suppressed: boolean;
  averageStress: number | null;
  averageWorkdays: number | null;
  highStressReports: number | null;
  hires: number | null;
  attritions: number | null;
  incidents: number | null;
  slaBreaches: number | null;
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

export interface ComputeCountryAnalyticsOptions {
  prisma: PrismaClient;
  from: string;
  to: string;
  /** ANALYTICS_MIN_GROUP_SIZE; 1 suppresses nothing. */
  minGroupSize?: number;
}

export async function computeCountryAnalytics({
  prisma,
  from,
  to,
  minGroupSize = DEFAULT_MIN_GROUP_SIZE,
}: ComputeCountryAnalyticsOptions): Promise<CountrySeries[]> {
  const span = weeksBetween(from, to);
  if (span < 1) throw new AppError('BAD_USER_INPUT', 'to: must not be before from', { field: 'to' });
  if (span > MAX_ANALYTICS_WEEKS) {
    throw new AppError('BAD_USER_INPUT', `to: at most ${MAX_ANALYTICS_WEEKS} weeks per request`, { field: 'to' });
  }
  const [rows, active] = await Promise.all([
    prisma.$queryRaw<
      {
        country: string;
        week: string;
        reports: number;
        stress_sum: number;
        workdays_sum: number;
        high: number;
        hires: number;
        attritions: number;
        incidents: number;
        sla: number;
      }[]
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
  // Per week, the company's total (shown by dashboardStats) split into countries.
  const hidden = new Map(
    weeks.map((week) => {
      const parts = rows.filter((r) => r.week === week).map((r) => ({ id: r.country, reports: r.reports }));
      const reports = new Map([['', parts.reduce((n, p) => n + p.reports, 0)], ...parts.map((p) => [p.id, p.reports] as const)]);
      return [week, suppressedGroups({ minGroupSize, reports, partitions: [{ whole: '', parts }] })];
    }),
  );
  const round2 = (v: number) => Math.round(v * 100) / 100;
  return countries.map((country) => ({
    country,
    activeUsers: active.find((a) => a.country === country)?.n ?? 0,
    weeks: weeks.map((week): CountryWeek => {
      const row = rows.find((r) => r.country === country && r.week === week);
      const reports = row?.reports ?? 0;
      if (hidden.get(week)!.has(country)) {
        const withheld = {
          averageStress: null,
          averageWorkdays: null,
          highStressReports: null,
          hires: null,
          attritions: null,
          incidents: null,
          slaBreaches: null,
        };
        return { week, reportsSubmitted: reports, suppressed: true, ...withheld };
      }
      return {
        week,
        reportsSubmitted: reports,
        suppressed: false,
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
