// Weekly reports as CSV rows for analysts: read in keyset-paged batches (never the whole result in
// memory), one row per report with its author and metrics, RFC 4180 quoting by csv-stringify.
import { stringify } from 'csv-stringify/sync';
import { isIsoWeek } from '../domain/iso-week.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export interface ExportFilter {
  from?: string | null;
  to?: string | null;
  country?: string | null;
  city?: string | null;
}

/** Where the API serves the download. */
export const EXPORT_PATH = '/export/weekly-reports.csv';

/** Validated filter from query parameters; a string names the bad parameter. */
export function parseExportFilter(params: URLSearchParams): ExportFilter | string {
  const filter: ExportFilter = {};
  for (const name of ['from', 'to'] as const) {
    const value = params.get(name);
    if (value) {
      if (!isIsoWeek(value)) return `${name} must be an ISO week like 2026-W47`;
      filter[name] = value;
    }
  }
  const country = params.get('country');
  if (country) {
    if (!/^[A-Za-z]{2}$/.test(country)) return 'country must be a two-letter ISO 3166-1 code';
    filter.country = country.toUpperCase();
  }
  const city = params.get('city');
  if (city) filter.city = city;
  if (filter.from && filter.to && filter.from > filter.to) return 'from must not be after to';
  return filter;
}

export const EXPORT_COLUMNS = [
  'report_id', 'week', 'user_id', 'name', 'email', 'role', 'country', 'city', 'workdays', 'stress_level',
  'highlights', 'blockers', 'interviews', 'offers', 'hires', 'attritions',
  'orders_processed', 'tasks_completed', 'incidents', 'sla_breaches', 'submitted_at',
] as const;

const SELECT = {
  id: true,
  week: true,
  workdays: true,
  stressLevel: true,
  highlights: true,
  blockers: true,
  submittedAt: true,
  user: { select: { id: true, name: true, email: true, role: true, country: true, city: true } },
  hrMetrics: { select: { interviews: true, offers: true, hires: true, attritions: true } },
  opsMetrics: { select: { ordersProcessed: true, tasksCompleted: true, incidents: true, slaBreaches: true } },
} satisfies Prisma.WeeklyReportSelect;

type ExportRow = Prisma.WeeklyReportGetPayload<{ select: typeof SELECT }>;

function where(filter: ExportFilter): Prisma.WeeklyReportWhereInput {
  return {
    ...(filter.from || filter.to ? { week: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
    ...(filter.country || filter.city
      ? { user: { ...(filter.country ? { country: filter.country } : {}), ...(filter.city ? { city: filter.city } : {}) } }
      : {}),
  };
}

function record(row: ExportRow): (string | number | null)[] {
  return [
    row.id, row.week, row.user.id, row.user.name, row.user.email, row.user.role, row.user.country, row.user.city,
    row.workdays, row.stressLevel, row.highlights, row.blockers,
    row.hrMetrics?.interviews ?? null, row.hrMetrics?.offers ?? null, row.hrMetrics?.hires ?? null, row.hrMetrics?.attritions ?? null,
    row.opsMetrics?.ordersProcessed ?? null, row.opsMetrics?.tasksCompleted ?? null, row.opsMetrics?.incidents ?? null,
    row.opsMetrics?.slaBreaches ?? null, row.submittedAt.toISOString(),
  ];
}

export function csvHeader(): string {
  return stringify([[...EXPORT_COLUMNS]], { record_delimiter: '\r\n' });
}

/** CSV text of the matching reports, one chunk per batch, in (week, id) order. Stop early with `return()`. */
export async function* exportWeeklyReportsCsv(prisma: PrismaClient, filter: ExportFilter, batchSize = 2_000): AsyncGenerator<string> {
  const base = where(filter);
  let after: { week: string; id: number } | null = null;
  for (;;) {
    const rows: ExportRow[] = await prisma.weeklyReport.findMany({
      select: SELECT,
      where: after
        ? { AND: [base, { week: { gte: after.week } }, { OR: [{ week: { gt: after.week } }, { week: after.week, id: { gt: after.id } }] }] }
        : base,
      orderBy: [{ week: 'asc' }, { id: 'asc' }],
      take: batchSize,
    });
    if (!rows.length) return;
    yield stringify(rows.map(record), { record_delimiter: '\r\n', cast: { date: (d) => d.toISOString() } });
    const last = rows[rows.length - 1]!;
    after = { week: last.week, id: last.id };
    if (rows.length < batchSize) return;
  }
}
