// `dashboardStats(week, filter)`: the dashboard's weekly figures with week-over-week changes and breakdowns
// (MANAGER, ANALYST, ADMIN), small groups suppressed for every viewer. Served from the shared aggregate cache
// (keyed by its arguments, dropped when a report of the week changes), computed from the pre-aggregated table on a miss.
import { countryCodeProblem, parseCountryCode } from '../domain/country-code.js';
import { computeDashboardStats, type DashboardFigures, type DashboardStats } from '../services/compute-dashboard-stats.js';
import { builder } from './builder.js';
import { STRING_BOUNDS } from './input-guard.js';
import { UserInputError } from './errors.js';
import { IsoWeekScalar } from './scalars.js';
import { HrTotals, OpsTotals } from './totals.js';

const DashboardFiguresRef = builder.objectRef<DashboardFigures>('DashboardFigures').implement({
  description:
    'Figures of a group of reports. A group with fewer reports than `DashboardStats.minGroupSize` (or hidden so that ' +
    'such a group cannot be worked out by subtraction) is `suppressed`: its counts are exact, its other figures null.',
  fields: (t) => ({
    reportsSubmitted: t.exposeInt('reportsSubmitted', { description: 'Exact for every group, suppressed or not.' }),
    activeUsers: t.exposeInt('activeUsers', { description: 'Active users now (there is no history of activity).' }),
    submissionRate: t.exposeFloat('submissionRate', { description: 'reportsSubmitted / activeUsers, rounded to 4 decimals.' }),
    suppressed: t.exposeBoolean('suppressed', {
      description: 'The figures below are withheld (null) to protect the people of a small group.',
    }),
    averageStress: t.exposeFloat('averageStress', {
      nullable: true,
      description: 'Rounded to 2 decimals; null without reports or when suppressed.',
    }),
    stressDistribution: t.exposeIntList('stressDistribution', {
      nullable: true,
      description: 'Reports per stress level 1..10 (10 numbers); null when suppressed.',
    }),
    averageWorkdays: t.exposeFloat('averageWorkdays', {
      nullable: true,
      description: 'Rounded to 2 decimals; null without reports or when suppressed.',
    }),
    hr: t.field({ type: HrTotals, nullable: true, description: 'Null when suppressed.', resolve: (f) => f.hr }),
    ops: t.field({ type: OpsTotals, nullable: true, description: 'Null when suppressed.', resolve: (f) => f.ops }),
  }),
});

type Change = { current: DashboardFigures; previous: DashboardFigures };
const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 10_000) / 10_000);
/** Null when either week is suppressed (hr and ops are null then): a change must not reveal a hidden week. */
const change = (pick: (f: DashboardFigures) => number | undefined) => ({
  nullable: true as const,
  resolve: ({ current, previous }: Change) => {
    const [a, b] = [pick(current), pick(previous)];
    return a === undefined || b === undefined ? null : a - b;
  },
});

const DashboardChange = builder.objectRef<Change>('DashboardChange').implement({
  description: 'This week minus the previous week; figures other than the counts are null when either week is suppressed.',
  fields: (t) => ({
    reportsSubmitted: t.int({ resolve: ({ current, previous }) => current.reportsSubmitted - previous.reportsSubmitted }),
    submissionRate: t.float({ resolve: ({ current, previous }) => delta(current.submissionRate, previous.submissionRate)! }),
    averageStress: t.float({ nullable: true, resolve: ({ current, previous }) => delta(current.averageStress, previous.averageStress) }),
    averageWorkdays: t.float({
      nullable: true,
      resolve: ({ current, previous }) => delta(current.averageWorkdays, previous.averageWorkdays),
    }),
    hires: t.int(change((f) => f.hr?.hires)),
    interviews: t.int(change((f) => f.hr?.interviews)),
    offers: t.int(change((f) => f.hr?.offers)),
    attritions: t.int(change((f) => f.hr?.attritions)),
    ordersProcessed: t.int(change((f) => f.ops?.ordersProcessed)),
    tasksCompleted: t.int(change((f) => f.ops?.tasksCompleted)),
    incidents: t.int(change((f) => f.ops?.incidents)),
    slaBreaches: t.int(change((f) => f.ops?.slaBreaches)),
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
    minGroupSize: t.exposeInt('minGroupSize', {
      description: 'Groups with fewer reports than this (ANALYTICS_MIN_GROUP_SIZE) are suppressed.',
    }),
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
    country: t.string({ description: 'ISO 3166-1 alpha-2 code.', ...STRING_BOUNDS.country }),
    city: t.string({ ...STRING_BOUNDS.city }),
  }),
});

builder.queryField('dashboardStats', (t) =>
  t.field({
    type: DashboardStatsRef,
    description: "A week's figures, their change against the previous week, and breakdowns (MANAGER, ANALYST, ADMIN).",
    authScopes: { role: ['MANAGER', 'ANALYST', 'ADMIN'] },
    args: { week: t.arg({ type: IsoWeekScalar, required: true }), filter: t.arg({ type: DashboardFilter }) },
    resolve: (_root, { week, filter }, ctx) => {
      const country = filter?.country != null ? parseCountryCode(filter.country) : null;
      if (filter?.country != null && country === null) {
        throw new UserInputError(countryCodeProblem('filter.country'), { field: 'filter.country' });
      }
      const scope = { country, city: filter?.city ?? null };
      // Authorized above; the cached value is the same for every viewer allowed to ask (suppression included).
      const { minGroupSize } = ctx.analytics;
      const key = `dashboard:${minGroupSize}:${week}:${scope.country ?? ''}:${scope.city ?? ''}`;
      return ctx.aggregates.getOrCompute(key, { tags: [`week:${week}`] }, () =>
        computeDashboardStats({ prisma: ctx.prisma, week, filter: scope, minGroupSize }),
      );
    },
  }),
);
