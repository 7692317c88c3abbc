// The WeeklySummary type, its queries, and `generateWeeklyReport` (ADMIN or the scheduler's service token).
import { lastCompleteWeek } from '../domain/iso-week.js';
import { isUser, type Viewer } from '../domain/viewer.js';
import { DeliveryStatus, SummarySource, SummaryStatus } from '../generated/prisma/enums.js';
import { requestWeeklySummary } from '../services/request-weekly-summary.js';
import type { WeekStats } from '../services/compute-week-stats.js';
import { builder } from './builder.js';
import { cachedEntity } from './cache-entities.js';
import { countedConnection, resolveKeysetConnection } from './pagination/connection-fields.js';
import type { KeysetOrder } from './pagination/keyset.js';
import { IsoWeekScalar } from './scalars.js';
import { HrTotals, OpsTotals } from './totals.js';

/** Summaries are company-wide aggregates: MANAGER, ANALYST and ADMIN read them. */
const SUMMARY_READERS = ['MANAGER', 'ANALYST', 'ADMIN'] as const;

function readsSummaries(viewer: Viewer): boolean {
  return isUser(viewer) && (SUMMARY_READERS as readonly string[]).includes(viewer.role);
}

const SummaryStatusEnum = builder.enumType(SummaryStatus, { name: 'SummaryStatus' });
const SummarySourceEnum = builder.enumType(SummarySource, { name: 'SummarySource' });
const DeliveryStatusEnum = builder.enumType(DeliveryStatus, { name: 'DeliveryStatus' });

const WeekStatsRef = builder.objectRef<WeekStats>('WeekStats').implement({
  description: 'The figures a weekly summary was written from.',
  fields: (t) => ({
    week: t.expose('week', { type: IsoWeekScalar }),
    activeUsers: t.exposeInt('activeUsers'),
    reportsSubmitted: t.exposeInt('reportsSubmitted'),
    submissionRate: t.exposeFloat('submissionRate', { description: '0..1' }),
    averageStress: t.exposeFloat('averageStress', { nullable: true }),
    averageWorkdays: t.exposeFloat('averageWorkdays', { nullable: true }),
    highStressReports: t.exposeInt('highStressReports', { description: 'Reports with stress 8 or more.' }),
    hr: t.field({ type: HrTotals, resolve: (s) => s.hr }),
    ops: t.field({ type: OpsTotals, resolve: (s) => s.ops }),
    previousWeekReports: t.int({ resolve: (s) => s.previousWeek.reportsSubmitted }),
    previousWeekAverageStress: t.float({ nullable: true, resolve: (s) => s.previousWeek.averageStress }),
  }),
});

const SummaryDelivery = builder
  .objectRef<{ deliveryStatus: DeliveryStatus; telegramMessageIds: unknown; deliveredAt: Date | null }>('SummaryDelivery')
  .implement({
    fields: (t) => ({
      status: t.field({ type: DeliveryStatusEnum, resolve: (d) => d.deliveryStatus }),
      telegramMessageIds: t.stringList({
        description: 'One per part of a message split at 4096 characters.',
        resolve: (d) => (Array.isArray(d.telegramMessageIds) ? d.telegramMessageIds.map(String) : []),
      }),
      deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.deliveredAt }),
    }),
  });

export const WeeklySummary = builder.prismaNode('WeeklySummary', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: Number(id), ...(readsSummaries(ctx.viewer) ? {} : { AND: [{ id: { in: [] } }] }) }),
  select: { id: true },
  fields: (t) => ({
    week: t.expose('week', { type: IsoWeekScalar }),
    status: t.expose('status', { type: SummaryStatusEnum }),
    version: t.exposeInt('version', { description: 'Grows by one with every forced regeneration.' }),
    stats: t.field({ type: WeekStatsRef, nullable: true, select: { stats: true }, resolve: (s) => s.stats as WeekStats | null }),
    summary: t.exposeString('summary', { nullable: true }),
    summarySource: t.expose('summarySource', { type: SummarySourceEnum, nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    delivery: t.field({
      type: SummaryDelivery,
      select: { deliveryStatus: true, telegramMessageIds: true, deliveredAt: true },
      resolve: (s) => s,
    }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

const SUMMARY_ORDER: KeysetOrder = [
  { field: 'week', direction: 'desc', type: 'string' },
  { field: 'id', direction: 'desc', type: 'int' },
];

builder.queryFields((t) => ({
  weeklySummary: t.prismaField({
    type: 'WeeklySummary',
    nullable: true,
    description: "The week's summary, if one was triggered (MANAGER, ANALYST, ADMIN).",
    authScopes: { role: SUMMARY_READERS },
    args: { week: t.arg({ type: IsoWeekScalar, required: true }) },
    resolve: (query, _root, { week }, ctx) => ctx.prisma.weeklySummary.findUnique({ ...query, where: { week } }),
  }),
  weeklySummaries: t.connection(
    {
      type: WeeklySummary,
      description: 'Weekly summaries, newest week first (MANAGER, ANALYST, ADMIN).',
      authScopes: { role: SUMMARY_READERS },
      resolve: (_root, args, ctx, info) =>
        resolveKeysetConnection({
          ctx,
          info,
          args,
          typeName: 'WeeklySummary',
          order: SUMMARY_ORDER,
          where: {},
          findMany: (query) => ctx.prisma.weeklySummary.findMany(query),
          count: (where) => ctx.prisma.weeklySummary.count({ where }),
        }),
    },
    countedConnection('WeeklySummary'),
  ),
}));

const GenerateWeeklyReportPayload = builder.objectRef<{ summaryId: number }>('GenerateWeeklyReportPayload').implement({
  fields: (t) => ({
    summary: t.prismaField({
      type: 'WeeklySummary',
      description: 'The summary in its current state: generation continues in the background.',
      resolve: (query, payload, _args, ctx) => ctx.prisma.weeklySummary.findUniqueOrThrow({ ...query, where: { id: payload.summaryId } }),
    }),
  }),
});

builder.mutationField('generateWeeklyReport', (t) =>
  t.field({
    type: GenerateWeeklyReportPayload,
    description:
      'Triggers the weekly summary of a week (default: the last complete ISO week in REPORT_TZ) and returns at once. ' +
      'Exactly one summary per week; a finished week is returned as it is. `force` (ADMIN) makes a new version.',
    // The scheduler's service identity may call this mutation and nothing else.
    skipTypeScopes: true,
    authScopes: { $any: { service: true, role: ['ADMIN'] } },
    args: {
      week: t.arg({ type: IsoWeekScalar }),
      force: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      const week = args.week ?? lastCompleteWeek(ctx.reports.timeZone);
      const summaryId = await requestWeeklySummary({
        prisma: ctx.prisma,
        worker: ctx.reports.worker,
        viewer: ctx.viewer,
        week,
        force: args.force ?? false,
      });
      await ctx.cache.invalidate([
        cachedEntity('WeeklySummary', summaryId),
        { typename: 'Query.weeklySummaries' },
        { typename: 'Query.weeklySummary' },
      ]);
      return { summaryId };
    },
  }),
);
