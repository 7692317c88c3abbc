// `dashboardStats(week, filter)`: the dashboard's weekly figures with week-over-week changes and breakdowns
// (MANAGER, ANALYST, ADMIN). Served from the shared aggregate cache (keyed by its arguments, dropped when a
// report of the week changes), computed from the pre-aggregated table on a miss.
import { computeDashboardStats, type DashboardFigures, type DashboardStats } from '../services/dashboard-stats.js';
import { builder } from './builder.js';
import { UserInputError } from './errors.js';
import { IsoWeekScalar } from './scalars.js';
import { HrTotals, OpsTotals } from './totals.js';

const DashboardFiguresRef = builder.objectRef<DashboardFigures>('DashboardFigures').implement({
  fields: (t) => ({
    reportsSubmitted: t.exposeInt('reportsSubmitted'),
    activeUsers: t.exposeInt('activeUsers', { description: 'Active users now (there is no history of activity).' }),
    submissionRate: t.exposeFloat('submissionRate', { description: 'reportsSubmitted / activeUsers, rounded to 4 decimals.' }),
    averageStress: t.exposeFloat('averageStress', { nullable: true, description: 'Rounded to 2 decimals; null without reports.' }),
    stressDistribution: t.exposeIntList('stressDistribution', { description: 'Reports per stress level 1..10 (10 numbers).' }),
    averageWorkdays: t.exposeFloat('averageWorkdays', { nullable: true, description: 'Rounded to 2 decimals.' }),
    hr: t.field({ type: HrTotals, resolve: (f) => f.hr }),
    ops: t.field({ type: OpsTotals, resolve: (f) => f.ops }),
  }),
});

type Change = { current: DashboardFigures; previous: DashboardFigures };
const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 10_000) / 10_000);

const DashboardChange = builder.objectRef<Change>('DashboardChange').implement({
  description: 'This week minus the previous week.',
  fields: (t) => ({
    reportsSubmitted: t.int({ resolve: ({ current, previous }) => current.reportsSubmitted - previous.reportsSubmitted }),
    submissionRate: t.float({ resolve: ({ current, previous }) => delta(current.submissionRate, previous.submissionRate)! }),
    averageStress: t.float({ nullable: true, resolve: ({ current, previous }) => delta(current.averageStress, previous.averageStress) }),
    averageWorkdays: t.float({ nullable: true, resolve: ({ current, previous }) => delta(current.averageWorkdays, previous.averageWorkdays) }),
    hires: t.int({ resolve: ({ current, previous }) => current.hr.hires - previous.hr.hires }),
    interviews: t.int({ resolve: ({ current, previous }) => current.hr.interviews - previous.hr.interviews }),
    offers: t.int({ resolve: ({ current, previous }) => current.hr.offers - previous.hr.offers }),
    attritions: t.int({ resolve: ({ current, previous }) => current.hr.attritions - previous.hr.attritions }),
    ordersProcessed: t.int({ resolve: ({ current, previous }) => current.ops.ordersProcessed - previous.ops.ordersProcessed }),
    tasksCompleted: t.int({ resolve: ({ current, previous }) => current.ops.tasksCompleted - previous.ops.tasksCompleted }),
    incidents: t.int({ resolve: ({ current, previous }) => current.ops.incidents - previous.ops.incidents }),
    slaBreaches: t.int({ resolve: ({ current, previous }) => current.ops.slaBreaches - previous.ops.slaBreaches }),
  }),
});

const DashboardBreakdown = builder.objectRef<{ key: string; figures: DashboardFigures }>('DashboardBreakdown').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The country code, city or role.' }),
    figures: t.field({ type: DashboardFiguresRef, resolve: (b) => b.figures }),
  }),
});

const DashboardStatsRef = builder.objectRef<DashboardStats>('DashboardStats').implement({
  fields: (t) => ({
    week: t.expose('week', { type: IsoWeekScalar }),
    current: t.field({ type: DashboardFiguresRef, resolve: (s) => s.current }),
    previousWeek: t.field({ type: IsoWeekScalar, resolve: (s) => s.previous.week }),
    previous: t.field({ type: DashboardFiguresRef, resolve: (s) => s.previous }),
    change: t.field({ type: DashboardChange, resolve: (s) => ({ current: s.current, previous: s.previous }) }),
    byCountry: t.field({ type: [DashboardBreakdown], resolve: (s) => s.byCountry }),
    byCity: t.field({ type: [DashboardBreakdown], resolve: (s) => s.byCity }),
    byRole: t.field({ type: [DashboardBreakdown], resolve: (s) => s.byRole }),
  }),
});

const DashboardFilter = builder.inputType('DashboardFilter', {
  fields: (t) => ({
    country: t.string({ description: 'ISO 3166-1 alpha-2 code.' }),
    city: t.string(),
  }),
});

builder.queryField('dashboardStats', (t) =>
  t.field({
    type: DashboardStatsRef,
    description: "A week's figures, their change against the previous week, and breakdowns (MANAGER, ANALYST, ADMIN).",
    authScopes: { role: ['MANAGER', 'ANALYST', 'ADMIN'] },
    args: { week: t.arg({ type: IsoWeekScalar, required: true }), filter: t.arg({ type: DashboardFilter }) },
    resolve: (_root, { week, filter }, ctx) => {
      if (filter?.country != null && !/^[A-Za-z]{2}$/.test(filter.country)) {
        throw new UserInputError('filter.country must be a two-letter ISO 3166-1 code', { field: 'filter.country' });
      }
      const scope = { country: filter?.country?.toUpperCase() ?? null, city: filter?.city ?? null };
      // Authorized above; the cached value is the same for every viewer allowed to ask.
      return ctx.aggregates.getOrCompute(`dashboard:${week}:${scope.country ?? ''}:${scope.city ?? ''}`, { tags: [`week:${week}`] }, () =>
        computeDashboardStats(ctx.prisma, week, scope),
      );
    },
  }),
);
