// The WeeklyReport type, its week-over-week link, and the `weeklyReports` connection.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { countryCodeProblem, parseCountryCode } from '../domain/country-code.js';
import { addWeeks, previousWeek } from '../domain/iso-week.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder, WRITER_ROLES } from './builder.js';
import { cachedEntity } from './cache-entities.js';
import { UserInputError } from './errors.js';
import { countedConnection, resolveKeysetConnection } from './pagination/connection-fields.js';
import type { KeysetOrder } from './pagination/keyset.js';
import { KEYSET_PAGES } from './pagination/page-args.js';
import { requestLoader } from './request-loaders.js';
import { reportsVisibleTo } from '../services/visibility.js';
import { readsEverything } from '../domain/viewer.js';
import { IsoWeekScalar } from './scalars.js';
import { idOf, signedInViewer } from './global-ids.js';
import { STRING_BOUNDS } from './input-guard.js';
import { submitWeeklyReport } from '../services/submit-weekly-report.js';

export const WeeklyReport = builder.prismaNode('WeeklyReport', {
  id: { field: 'id' },
  // node(id:) and nodes(ids:) obey the same rule as lists: no reading others' reports by id.
  findUnique: (id, ctx) => ({ id: Number(id), AND: [reportsVisibleTo(ctx.viewer)] }),
  nullable: true,
  select: { id: true },
  fields: (t) => ({
    week: t.expose('week', { type: IsoWeekScalar }),
    workdays: t.exposeInt('workdays', { description: 'Days worked in the week, 0..7.' }),
    stressLevel: t.exposeInt('stressLevel', { description: 'Self-reported stress, 1 (calm) .. 10 (overwhelmed).' }),
    highlights: t.exposeString('highlights'),
    blockers: t.exposeString('blockers', { nullable: true }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    user: t.relation('user'),
    hrMetrics: t.relation('hrMetrics', { nullable: true }),
    opsMetrics: t.relation('opsMetrics', { nullable: true }),
  }),
});

builder.prismaObjectField('WeeklyReport', 'previous', (t) =>
  t.field({
    type: WeeklyReport,
    nullable: true,
    description: "The same user's report for the week before, for week-over-week deltas (batched per page).",
    select: { userId: true, week: true },
    resolve: (report, _args, ctx, info) => {
      const query = queryFromInfo({ context: ctx, info }) as { select?: Prisma.WeeklyReportSelect };
      const select = { ...(query.select ?? { id: true }), userId: true, week: true };
      const loader = requestLoader<{ userId: number; week: string }, unknown>(
        ctx,
        `WeeklyReport.previous:${JSON.stringify(select)}`,
        async (keys) => {
          // One statement for the page: (user_id, week) IN (...) through the unique index.
          const rows = await ctx.prisma.weeklyReport.findMany({
            where: { OR: keys.map((k) => ({ userId: k.userId, week: k.week })), AND: [reportsVisibleTo(ctx.viewer)] },
            select,
          });
          const byKey = new Map(rows.map((r) => [`${r.userId}/${r.week}`, r]));
          return keys.map((k) => byKey.get(`${k.userId}/${k.week}`) ?? null);
        },
        { cacheKeyFn: (k) => `${k.userId}/${k.week}` },
      );
      return loader.load({ userId: report.userId, week: previousWeek(report.week) }) as never;
    },
  }),
);

const WeeklyReportFilter = builder.inputType('WeeklyReportFilter', {
  fields: (t) => ({
    weekFrom: t.field({ type: IsoWeekScalar, description: 'First week included.' }),
    weekTo: t.field({ type: IsoWeekScalar, description: 'Last week included.' }),
    userId: t.globalID({ description: 'Only this user’s reports (a User id).' }),
    city: t.string({ description: "The author's city.", ...STRING_BOUNDS.city }),
    country: t.string({ description: "The author's country (ISO 3166-1 alpha-2).", ...STRING_BOUNDS.country }),
  }),
});

type WeeklyReportFilterInput = typeof WeeklyReportFilter.$inferInput;

export function weeklyReportWhere(filter: WeeklyReportFilterInput | null | undefined): Prisma.WeeklyReportWhereInput {
  if (!filter) return {};
  const where: Prisma.WeeklyReportWhereInput = {};
  if (filter.weekFrom != null || filter.weekTo != null) {
    if (filter.weekFrom != null && filter.weekTo != null && filter.weekFrom > filter.weekTo) {
      throw new UserInputError('weekFrom must not be after weekTo');
    }
    // 'YYYY-Www' strings sort chronologically.
    where.week = {
      ...(filter.weekFrom != null ? { gte: filter.weekFrom } : {}),
      ...(filter.weekTo != null ? { lte: filter.weekTo } : {}),
    };
  }
  if (filter.userId != null) where.userId = idOf(filter.userId, 'User', 'filter.userId');
  if (filter.city != null || filter.country != null) {
    const country = filter.country != null ? parseCountryCode(filter.country) : null;
    if (filter.country != null && country === null) throw new UserInputError(countryCodeProblem('country'));
    where.user = {
      ...(filter.city != null ? { city: filter.city } : {}),
      ...(country !== null ? { country } : {}),
    };
  }
  return where;
}

const REPORT_ORDER: KeysetOrder = [
  { field: 'week', direction: 'desc', type: 'string' },
  { field: 'id', direction: 'desc', type: 'int' },
];

builder.queryField('weeklyReports', (t) =>
  t.connection(
    {
      type: WeeklyReport,
      description: `Weekly reports, newest week first; ${KEYSET_PAGES}.`,
      args: { filter: t.arg({ type: WeeklyReportFilter }) },
      resolve: (_root, args, ctx, info) =>
        resolveKeysetConnection({
          ctx,
          info,
          args,
          typeName: 'WeeklyReport',
          order: REPORT_ORDER,
          where: { AND: [weeklyReportWhere(args.filter), reportsVisibleTo(ctx.viewer)] },
          findMany: (query) => ctx.prisma.weeklyReport.findMany(query),
          count: (where) => ctx.prisma.weeklyReport.count({ where }),
          // Only a viewer who reads every report sees the whole table when nothing is filtered.
          estimateTable:
            readsEverything(ctx.viewer) && (!args.filter || Object.values(args.filter).every((v) => v == null))
              ? 'weekly_reports'
              : undefined,
        }),
    },
    countedConnection('WeeklyReport'),
    { name: 'WeeklyReportEdge' },
  ),
);

const HrMetricsInput = builder.inputType('HrMetricsInput', {
  fields: (t) => ({
    interviews: t.int({ required: true }),
    offers: t.int({ required: true }),
    hires: t.int({ required: true }),
    attritions: t.int({ required: true }),
  }),
});

const OpsMetricsInput = builder.inputType('OpsMetricsInput', {
  fields: (t) => ({
    ordersProcessed: t.int({ required: true }),
    tasksCompleted: t.int({ required: true }),
    incidents: t.int({ required: true }),
    slaBreaches: t.int({ required: true }),
  }),
});

const SubmitWeeklyReportInput = builder.inputType('SubmitWeeklyReportInput', {
  fields: (t) => ({
    week: t.field({ type: IsoWeekScalar, required: true, description: 'This week or an earlier one.' }),
    workdays: t.int({ required: true, description: '0..7' }),
    stressLevel: t.int({ required: true, description: '1..10' }),
    highlights: t.string({ required: true, description: '1..4000 characters.', ...STRING_BOUNDS.reportText }),
    blockers: t.string({ description: 'Up to 4000 characters.', ...STRING_BOUNDS.reportText }),
    hrMetrics: t.field({ type: HrMetricsInput, description: 'Omit to keep what was submitted, null to remove.' }),
    opsMetrics: t.field({ type: OpsMetricsInput, description: 'Omit to keep what was submitted, null to remove.' }),
  }),
});

const SubmitWeeklyReportPayload = builder.objectRef<{ reportId: number }>('SubmitWeeklyReportPayload').implement({
  fields: (t) => ({
    report: t.prismaField({
      type: 'WeeklyReport',
      resolve: (query, payload, _args, ctx) => ctx.prisma.weeklyReport.findUniqueOrThrow({ ...query, where: { id: payload.reportId } }),
    }),
  }),
});

builder.mutationField('submitWeeklyReport', (t) =>
  t.field({
    type: SubmitWeeklyReportPayload,
    description: "Creates or updates the viewer's report for a week (one per week; resubmitting updates it).",
    authScopes: { role: WRITER_ROLES },
    args: { input: t.arg({ type: SubmitWeeklyReportInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = signedInViewer(ctx);
      const reportId = await submitWeeklyReport({ prisma: ctx.prisma, viewer, input });
      // Stale now: the author (me, latestReport, their reports wherever a User is cached), the report,
      // every cached report list (a new item may belong in it) and the aggregates.
      await ctx.cache.invalidate([
        cachedEntity('User', viewer.id),
        cachedEntity('WeeklyReport', reportId),
        { typename: 'Query.weeklyReports' },
        { typename: 'Query.dashboardStats' },
      ]);
      // Aggregates of this week, and of the next (its week-over-week change compares with this one).
      const week = input.week;
      await ctx.aggregates.invalidate([`week:${week}`, `week:${addWeeks(week, 1)}`]);
      return { reportId };
    },
  }),
);
