// Analytics for ANALYST and ADMIN (`countryAnalytics`) and the dashboard's `stressAlerts`.
import { previousWeek } from '../domain/iso-week.js';
import type { Prisma } from '../generated/prisma/client.js';
import { computeCountryAnalytics, type CountrySeries, type CountryWeek } from '../services/country-analytics.js';
import { reportAuthorsVisibleTo } from '../services/visibility.js';
import { builder } from './builder.js';
import { countedConnection, resolveKeysetConnection } from './pagination/connection-fields.js';
import type { KeysetOrder } from './pagination/keyset.js';
import { IsoWeekScalar } from './scalars.js';
import { User } from './user.js';
import { EXPORT_PATH, parseExportFilter } from '../services/export-weekly-reports.js';
import { ForbiddenError, UserInputError } from './errors.js';
import { signedInViewer } from './global-ids.js';
import { STRING_BOUNDS } from './input-guard.js';

const CountryWeekRef = builder.objectRef<CountryWeek>('CountryWeek').implement({
  description:
    "A country's week. With fewer reports than ANALYTICS_MIN_GROUP_SIZE (or hidden so that such a country cannot be " +
    'worked out from the company total by subtraction) it is `suppressed`: its count is exact, its other figures null.',
  fields: (t) => ({
    week: t.expose('week', { type: IsoWeekScalar }),
    reportsSubmitted: t.exposeInt('reportsSubmitted', { description: 'Exact, suppressed or not.' }),
    suppressed: t.exposeBoolean('suppressed', { description: 'The figures below are withheld (null) to protect the people of a small group.' }),
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
        computeCountryAnalytics(ctx.prisma, from, to, ctx.analytics.minGroupSize),
      ),
  }),
);

const ALERT_ORDER: KeysetOrder = [
  { field: 'name', direction: 'asc', type: 'string' },
  { field: 'id', direction: 'asc', type: 'int' },
];

builder.queryField('stressAlerts', (t) =>
  t.connection(
    {
      type: User,
      description: 'People you may read whose stress was 8 or more in this week and the week before.',
      args: { week: t.arg({ type: IsoWeekScalar, required: true }) },
      resolve: (_root, args, ctx, info) =>
        resolveKeysetConnection({
          ctx,
          info,
          args,
          typeName: 'User',
          order: ALERT_ORDER,
          where: {
            AND: [
              reportAuthorsVisibleTo(ctx.viewer),
              { reports: { some: { week: args.week, stressLevel: { gte: 8 } } } },
              { reports: { some: { week: previousWeek(args.week), stressLevel: { gte: 8 } } } },
            ],
          } satisfies Prisma.UserWhereInput,
          findMany: (query) => ctx.prisma.user.findMany(query),
          count: (where) => ctx.prisma.user.count({ where }),
        }),
    },
    countedConnection('StressAlert'),
  ),
);

const ExportFilterInput = builder.inputType('ExportFilter', {
  fields: (t) => ({
    from: t.field({ type: IsoWeekScalar }),
    to: t.field({ type: IsoWeekScalar }),
    country: t.string({ ...STRING_BOUNDS.country }),
    city: t.string({ ...STRING_BOUNDS.city }),
  }),
});

builder.queryField('exportUrl', (t) =>
  t.string({
    description:
      'A link (valid 5 minutes, for you only) that downloads the matching weekly reports as CSV without a bearer ' +
      'token in the URL (ANALYST, ADMIN). The same download accepts `Authorization: Bearer` instead of `token`.',
    authScopes: { role: ['ANALYST', 'ADMIN'] },
    args: { filter: t.arg({ type: ExportFilterInput }) },
    resolve: async (_root, { filter }, ctx) => {
      if (!ctx.exportTokens) throw new ForbiddenError('Export links are not configured on this server; use a bearer token.');
      const given = new URLSearchParams();
      for (const [key, value] of Object.entries(filter ?? {})) if (value) given.set(key, String(value));
      const parsed = parseExportFilter(given);
      if (typeof parsed === 'string') throw new UserInputError(parsed);
      // The link shows the normalised filter (readable, and what the signed token holds).
      const params = new URLSearchParams();
      for (const key of ['from', 'to', 'country', 'city'] as const) if (parsed[key]) params.set(key, parsed[key]!);
      params.set('token', await ctx.exportTokens.sign({ userId: signedInViewer(ctx).id, filter: parsed }));
      return `${EXPORT_PATH}?${params.toString()}`;
    },
  }),
);
