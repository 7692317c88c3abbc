// Dashboard statistics of a week, optionally for one country and/or city: totals, the previous week for
// week-over-week changes, and breakdowns by country, city and role. Computed in SQL from the pre-aggregated
// table (a few hundred rows per week, by its primary key) and the active users per (country, city, role)
// from `user_population` (kept by a trigger on users): no scan of reports or users. Figures of groups too
// small to hide a person are suppressed (src/domain/small-group-suppression.ts, decision record 0013).
import { previousWeek } from '../domain/iso-week.js';
import { DEFAULT_MIN_GROUP_SIZE, suppressedGroups, type GroupPartition } from '../domain/small-group-suppression.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';

export interface DashboardFilter {
  country?: string | null;
  city?: string | null;
}

export interface DashboardFigures {
  /** Exact for every group: how many took part, not what anyone reported. */
  reportsSubmitted: number;
  activeUsers: number;
  /** reportsSubmitted / activeUsers, 4 decimals (0 without active users). */
  submissionRate: number;
  /** The figures below are withheld (null): fewer reports than the minimum group size, or hiding such a group. */
  suppressed: boolean;
  /** Mean of stress levels, 2 decimals; null without reports. */
  averageStress: number | null;
  /** Reports per stress level 1..10. */
  stressDistribution: number[] | null;
  averageWorkdays: number | null;
  hr: { interviews: number; offers: number; hires: number; attritions: number } | null;
  ops: { ordersProcessed: number; tasksCompleted: number; incidents: number; slaBreaches: number } | null;
}

export interface DashboardStats {
  week: string;
  /** Groups with 1..minGroupSize-1 reports have their figures suppressed. */
  minGroupSize: number;
  current: DashboardFigures;
  previous: DashboardFigures & { week: string };
  byCountry: { key: string; figures: DashboardFigures }[];
  byCity: { key: string; figures: DashboardFigures }[];
  byRole: { key: string; figures: DashboardFigures }[];
}

interface AggregateRow {
  grp: 'previous' | 'total' | 'country' | 'city' | 'role';
  country: string | null;
  city: string | null;
  role: string | null;
  reports: number;
  stress_sum: number;
  workdays_sum: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
  s6: number;
  s7: number;
  s8: number;
  s9: number;
  s10: number;
  interviews: number;
  offers: number;
  hires: number;
  attritions: number;
  orders: number;
  tasks: number;
  incidents: number;
  sla: number;
}

const SUMMED = [
  'reports',
  'stress_sum',
  'workdays_sum',
  's1',
  's2',
  's3',
  's4',
  's5',
  's6',
  's7',
  's8',
  's9',
  's10',
  'interviews',
  'offers',
  'hires',
  'attritions',
  'orders',
  'tasks',
  'incidents',
  'sla',
] as const;

/** A city's row: the sum of its (country, city) rows (a city name may be used in several countries). */
function sumRows(rows: AggregateRow[]): AggregateRow {
  const sum = { ...rows[0]!, country: null };
  for (const column of SUMMED) sum[column] = rows.reduce((n, row) => n + row[column], 0);
  return sum;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

function figures(row: AggregateRow | undefined, activeUsers: number, suppressed: boolean): DashboardFigures {
  const reports = row?.reports ?? 0;
  const counts = { reportsSubmitted: reports, activeUsers, submissionRate: activeUsers ? round(reports / activeUsers, 4) : 0 };
  if (suppressed)
    return { ...counts, suppressed, averageStress: null, stressDistribution: null, averageWorkdays: null, hr: null, ops: null };
  return {
    ...counts,
    suppressed,
    averageStress: reports ? round(row!.stress_sum / reports, 2) : null,
    stressDistribution: row ? [row.s1, row.s2, row.s3, row.s4, row.s5, row.s6, row.s7, row.s8, row.s9, row.s10] : Array(10).fill(0),
    averageWorkdays: reports ? round(row!.workdays_sum / reports, 2) : null,
    hr: { interviews: row?.interviews ?? 0, offers: row?.offers ?? 0, hires: row?.hires ?? 0, attritions: row?.attritions ?? 0 },
    ops: { ordersProcessed: row?.orders ?? 0, tasksCompleted: row?.tasks ?? 0, incidents: row?.incidents ?? 0, slaBreaches: row?.sla ?? 0 },
  };
}

function where(filter: DashboardFilter): Prisma.Sql {
  const parts = [
    filter.country ? Prisma.sql`AND country = ${filter.country}` : Prisma.empty,
    filter.city ? Prisma.sql`AND city = ${filter.city}` : Prisma.empty,
  ];
  return Prisma.join(parts, ' ');
}

export interface ComputeDashboardStatsOptions {
  prisma: PrismaClient;
  week: string;
  filter?: DashboardFilter;
  /** ANALYTICS_MIN_GROUP_SIZE; 1 suppresses nothing (tests compare every figure with the raw rows). */
  minGroupSize?: number;
}

export async function computeDashboardStats({
  prisma,
  week,
  filter = {},
  minGroupSize = DEFAULT_MIN_GROUP_SIZE,
}: ComputeDashboardStatsOptions): Promise<DashboardStats> {
  const previous = previousWeek(week);
  const sums = Prisma.sql`
    sum(reports)::int AS reports, sum(stress_sum)::int AS stress_sum, sum(workdays_sum)::int AS workdays_sum,
    sum(stress_1)::int AS s1, sum(stress_2)::int AS s2, sum(stress_3)::int AS s3, sum(stress_4)::int AS s4, sum(stress_5)::int AS s5,
    sum(stress_6)::int AS s6, sum(stress_7)::int AS s7, sum(stress_8)::int AS s8, sum(stress_9)::int AS s9, sum(stress_10)::int AS s10,
    sum(interviews)::int AS interviews, sum(offers)::int AS offers, sum(hires)::int AS hires, sum(attritions)::int AS attritions,
    sum(orders_processed)::int AS orders, sum(tasks_completed)::int AS tasks, sum(incidents)::int AS incidents, sum(sla_breaches)::int AS sla`;
  // One statement, one round trip: both sets come back as two JSON arrays (PostgreSQL builds the text,
  // JSON.parse reads it), not as ~150 rows of ~25 columns each decoded by the driver.
  const [answer] = await prisma.$queryRaw<{ aggregates: AggregateRow[]; active: { grp: string; key: string; n: number }[] }[]>`
    SELECT
      (SELECT coalesce(json_agg(a), '[]') FROM (
        -- Cities per (country, city): suppression needs each country's split into cities.
        SELECT CASE WHEN week = ${previous} THEN 'previous' WHEN GROUPING(city) = 0 THEN 'city'
                    WHEN GROUPING(country) = 0 THEN 'country' WHEN GROUPING(role) = 0 THEN 'role' ELSE 'total' END AS grp,
               CASE WHEN GROUPING(country) = 0 THEN country::text END AS country,
               CASE WHEN GROUPING(city) = 0 THEN city END AS city,
               CASE WHEN GROUPING(role) = 0 THEN role::text END AS role,
               ${sums}
        FROM weekly_report_aggregates
        WHERE week IN (${week}, ${previous}) ${where(filter)}
        GROUP BY GROUPING SETS ((week), (week, country), (week, country, city), (week, role))
        HAVING week = ${week} OR (GROUPING(country) = 1 AND GROUPING(city) = 1 AND GROUPING(role) = 1)) a) AS aggregates,
      (SELECT coalesce(json_agg(p), '[]') FROM (
        SELECT CASE WHEN GROUPING(country) = 0 THEN 'country' WHEN GROUPING(city) = 0 THEN 'city'
                    WHEN GROUPING(role) = 0 THEN 'role' ELSE 'total' END AS grp,
               coalesce(CASE WHEN GROUPING(country) = 0 THEN country WHEN GROUPING(city) = 0 THEN city
                             WHEN GROUPING(role) = 0 THEN role::text END, '') AS key,
               coalesce(sum(active_users), 0)::int AS n
        FROM user_population WHERE true ${where(filter)}
        GROUP BY GROUPING SETS ((), (country), (city), (role))) p) AS active`;
  const { aggregates, active } = answer!;
  const activeBy = new Map(active.map((a) => [`${a.grp}:${a.key}`, a.n]));
  const activeOf = (grp: string, key = '') => activeBy.get(`${grp}:${key}`) ?? 0;
  const cityCells = aggregates.filter((a) => a.grp === 'city');
  const rowsBy = {
    country: new Map(aggregates.filter((a) => a.grp === 'country').map((a) => [a.country!, a])),
    city: new Map([...new Set(cityCells.map((a) => a.city!))].map((city) => [city, sumRows(cityCells.filter((a) => a.city === city))])),
    role: new Map(aggregates.filter((a) => a.grp === 'role').map((a) => [a.role!, a])),
  };
  const total = aggregates.find((a) => a.grp === 'total');
  const last = aggregates.find((a) => a.grp === 'previous');

  // Every group this answer shows, and every way it splits one into others.
  const keysOf = (grp: keyof typeof rowsBy) =>
    [...new Set([...rowsBy[grp].keys(), ...active.filter((a) => a.grp === grp).map((a) => a.key)])].sort();
  const parts = (grp: keyof typeof rowsBy) => [...rowsBy[grp]].map(([key, row]) => ({ id: `${grp}:${key}`, reports: row.reports }));
  const reports = new Map<string, number>([
    ['total', total?.reports ?? 0],
    ['previous', last?.reports ?? 0],
  ]);
  for (const grp of ['country', 'city', 'role'] as const) for (const { id, reports: n } of parts(grp)) reports.set(id, n);
  const partitions: GroupPartition[] = [
    { whole: 'total', parts: parts('country') },
    { whole: 'total', parts: parts('city') },
    { whole: 'total', parts: parts('role') },
    ...[...rowsBy.country.keys()].map((country) => ({
      whole: `country:${country}`,
      parts: cityCells.filter((a) => a.country === country).map((a) => ({ id: `city:${a.city}`, reports: a.reports })),
    })),
  ];
  const hidden = suppressedGroups({ minGroupSize, reports, partitions });
  const breakdown = (grp: keyof typeof rowsBy) =>
    keysOf(grp).map((key) => ({ key, figures: figures(rowsBy[grp].get(key), activeOf(grp, key), hidden.has(`${grp}:${key}`)) }));
  return {
    week,
    minGroupSize,
    current: figures(total, activeOf('total'), hidden.has('total')),
    // Active users now: there is no history of who was active in an earlier week.
    previous: { week: previous, ...figures(last, activeOf('total'), hidden.has('previous')) },
    byCountry: breakdown('country'),
    byCity: breakdown('city'),
    byRole: breakdown('role'),
  };
}
