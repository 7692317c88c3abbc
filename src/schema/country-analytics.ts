// Per-country weekly series for ANALYST and ADMIN: the CountrySeries and CountryWeek types and `countryAnalytics`.
import { computeCountryAnalytics, type CountrySeries, type CountryWeek } from '../services/compute-country-analytics.js';
import { builder } from './builder.js';
import { IsoWeekScalar } from './scalars.js';

const CountryWeekRef = builder.objectRef<CountryWeek>('CountryWeek').implement({
  description:
    "A country's week. With fewer reports than ANALYTICS_MIN_GROUP_SIZE (or hidden so that such a country cannot be " +
    'worked out from the company total by subtraction) it is `suppressed`: its count is exact, its other figures null.',
  fields: (t) => ({
    week: t.expose('week', { type: IsoWeekScalar }),
    reportsSubmitted: t.exposeInt('reportsSubmitted', { description: 'Exact, suppressed or not.' }),
    suppressed: t.exposeBoolean('suppressed', {
      description: 'The figures below are withheld (null) to protect the people of a small group.',
    }),
    averageStress: t.exposeFloat('averageStress', { nullable: true }),
    averageWorkdays: t.exposeFloat('averageWorkdays', { nullable: true }),
    highStressReports: t.exposeInt('highStressReports', { nullable: true }),
    hires: t.exposeInt('hires', { nullable: true }),
    attritions: t.exposeInt('attritions', { nullable: true }),
    incidents: t.exposeInt('incidents', { nullable: true }),
    slaBreaches: t.exposeInt('slaBreaches', { nullable: true }),
  }),
});

const CountrySeriesRef = builder.objectRef<CountrySeries>('CountrySeries').implement({
  fields: (t) => ({
    country: t.exposeString('country'),
    activeUsers: t.exposeInt('activeUsers', { description: 'Active users now.' }),
    weeks: t.field({ type: [CountryWeekRef], resolve: (s) => s.weeks }),
  }),
});

builder.queryField('countryAnalytics', (t) =>
  t.field({
    type: [CountrySeriesRef],
    description:
      'Per country, a weekly series of the core figures from `from` to `to` (at most 53 weeks; ANALYST, ADMIN); ' +
      'the weeks of countries with too few reports are `suppressed`.',
    authScopes: { role: ['ANALYST', 'ADMIN'] },
    args: { from: t.arg({ type: IsoWeekScalar, required: true }), to: t.arg({ type: IsoWeekScalar, required: true }) },
    resolve: (_root, { from, to }, ctx) =>
      ctx.aggregates.getOrCompute(`countries:${ctx.analytics.minGroupSize}:${from}:${to}`, {}, () =>
        computeCountryAnalytics({ prisma: ctx.prisma, from, to, minGroupSize: ctx.analytics.minGroupSize }),
      ),
  }),
);
