// Privacy of the analytics: no figure of dashboardStats or countryAnalytics comes from fewer than
// ANALYTICS_MIN_GROUP_SIZE reports, nor can be worked out by subtraction within one response, for any
// viewer, filter or week; the minimum is configurable. Checked against report counts from independent SQL.
import { beforeAll, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { addWeeks, previousWeek } from '../../src/domain/iso-week.js';
import { seedDataset } from '../../src/seed/seed-dataset.js';
import { rebuildWeeklyAggregates } from '../../src/services/weekly-aggregates.js';
import { expectNoGraphQLErrors, startTestApi, type TestApi } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const END = '2026-W20';
const { api } = setupTestApi({ team: false });
let managerId: number;
beforeAll(async () => {
  await seedDataset({ sql: api.db.sql, users: 300, weeks: 3, endWeek: END });
  const [manager] = await api.db.sql.query<{ id: number }>("SELECT id FROM users WHERE role = 'MANAGER' AND active ORDER BY id LIMIT 1");
  managerId = manager!.id;
  await seedSmallPlaces();
});

/**
 * Places the seed does not use. Coimbra (PT): six employees and one analyst, none of them the manager's
 * reports; all seven report in END, stressed 3 (the analyst 9); in the week before, only the analyst.
 * Iceland: two people in Reykjavík, reporting every week (a country too small to show).
 */
async function seedSmallPlaces() {
  for (let i = 0; i < 2; i++) {
    await api.db.prisma.user.create({
      data: {
        email: `reykjavik${i}@example.com`,
        name: `Reykjavík ${i}`,
        city: 'Reykjavík',
        country: 'IS',
        reports: { create: [0, 1, 2].map((w) => ({ week: addWeeks(END, -w), workdays: 5, stressLevel: 4 + i, highlights: 'done' })) },
      },
    });
  }
  for (let i = 0; i < 7; i++) {
    const analyst = i === 6;
    await api.db.prisma.user.create({
      data: {
        email: `coimbra${i}@example.com`,
        name: `Coimbra ${i}`,
        city: 'Coimbra',
        country: 'PT',
        role: analyst ? 'ANALYST' : 'EMPLOYEE',
        reports: {
          create: [
            {
              week: END,
              workdays: analyst ? 2 : 5,
              stressLevel: analyst ? 9 : 3,
              highlights: 'done',
              hrMetrics: { create: { hires: analyst ? 1 : 0 } },
            },
            ...(analyst ? [{ week: previousWeek(END), workdays: 4, stressLevel: 8, highlights: 'done' }] : []),
          ],
        },
      },
    });
  }
  await rebuildWeeklyAggregates(api.db.sql);
}

it("gives a manager filtering by a city no one person's figures, in any breakdown or week", async () => {
  api.actAs(managerId);
  const response = await api.graphql(
    graphql(`query PrivacyCityOfOne($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {
      current { reportsSubmitted averageStress }
      previous { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } }
      change { averageStress averageWorkdays hires }
      byRole { key figures { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } } } } }`),
    { week: END, filter: { country: 'PT', city: 'Coimbra' } },
  );
  expectNoGraphQLErrors(response);
  const stats = response.data.dashboardStats;
  const withheld = { averageStress: null, averageWorkdays: null, stressDistribution: null, hr: null, ops: null };
  const analyst = stats.byRole.find((b) => b.key === 'ANALYST');
  // The analyst alone: nothing from their report.
  expect(analyst?.figures).toEqual({ reportsSubmitted: 1, ...withheld });
  // Seven reports together may be shown, but then the six employees must be hidden too (7 - 6 = 1).
  expect(stats.current.reportsSubmitted).toBe(7);
  expect(stats.byRole.find((b) => b.key === 'EMPLOYEE')?.figures).toEqual({ reportsSubmitted: 6, ...withheld });
  // The week before had the analyst's report only: neither it nor the change shows it.
  expect(stats.previous).toEqual({ reportsSubmitted: 1, ...withheld });
  expect(stats.change).toEqual({ averageStress: null, averageWorkdays: null, hires: null });
});

// --- every group of every answer, against counts from the raw rows --------------------------------------

const K = loadConfig({}).analytics.minGroupSize;

interface Cell {
  country: string;
  city: string;
  role: string;
  reports: number;
}

const cells = new Map<string, Promise<Cell[]>>();
/** Reports per (country, city, role) of a week, straight from weekly_reports and users (no test writes reports). */
function cellsOf(week: string): Promise<Cell[]> {
  if (!cells.has(week)) {
    const query = `SELECT u.country::text AS country, u.city, u.role::text AS role, count(*)::int AS reports
                   FROM weekly_reports r JOIN users u ON u.id = r.user_id WHERE r.week = $1 GROUP BY 1, 2, 3`;
    cells.set(week, api.db.sql.query<Cell>(query, [week]));
  }
  return cells.get(week)!;
}
const sum = (cells: Cell[]) => cells.reduce((n, c) => n + c.reports, 0);

const FIGURES = 'reportsSubmitted suppressed averageStress averageWorkdays stressDistribution hr { hires } ops { incidents }';
const STATS = `query($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {
  minGroupSize current { ${FIGURES} } previous { ${FIGURES} } change { reportsSubmitted averageStress averageWorkdays hires incidents }
  byCountry { key figures { ${FIGURES} } } byCity { key figures { ${FIGURES} } } byRole { key figures { ${FIGURES} } } } }`;

interface Figures {
  reportsSubmitted: number;
  suppressed: boolean;
  averageStress: number | null;
  averageWorkdays: number | null;
  stressDistribution: number[] | null;
  hr: object | null;
  ops: object | null;
}
type Breakdown = { key: string; figures: Figures }[];

/** What STATS answers. */
interface PrivateStats {
  dashboardStats: {
    minGroupSize: number;
    current: Figures;
    previous: Figures;
    change: {
      reportsSubmitted: number;
      averageStress: number | null;
      averageWorkdays: number | null;
      hires: number | null;
      incidents: number | null;
    };
    byCountry: Breakdown;
    byCity: Breakdown;
    byRole: Breakdown;
  };
}
const BREAKDOWNS = { country: 'byCountry', city: 'byCity', role: 'byRole' } as const;

/** What one answer showed: groups seen, suppressed, and suppressed although big enough (to hide a small one). */
interface Tally {
  groups: number;
  suppressed: number;
  complementary: number;
}

/** A group's counts are exact; with 1..k-1 reports it is suppressed; suppressed, it shows nothing else. */
function expectGroup(label: string, figures: Figures, reports: number, k: number, tally: Tally) {
  expect(figures.reportsSubmitted, label).toBe(reports);
  if (reports > 0 && reports < k) expect(figures.suppressed, `${label}: ${reports} reports`).toBe(true);
  tally.groups++;
  if (figures.suppressed) {
    tally.suppressed++;
    if (reports >= k) tally.complementary++;
    expect(figures, label).toMatchObject({ averageStress: null, averageWorkdays: null, stressDistribution: null, hr: null, ops: null });
  } else {
    expect(figures.averageStress === null, label).toBe(reports === 0);
    expect(figures.stressDistribution, label).toHaveLength(10);
    expect(figures.hr, label).not.toBeNull();
    expect(figures.ops, label).not.toBeNull();
  }
}

/**
 * Subtraction cannot recover a suppressed part: under a shown whole, the suppressed parts hold 0 or at least
 * k reports together; under a suppressed whole, every part with reports is suppressed.
 */
function expectHidden(label: string, wholeShown: boolean, parts: { key: string; reports: number; suppressed: boolean }[], k: number) {
  const withReports = parts.filter((p) => p.reports > 0);
  if (wholeShown) {
    const hidden = withReports.filter((p) => p.suppressed).reduce((n, p) => n + p.reports, 0);
    expect(hidden === 0 || hidden >= k, `${label}: suppressed parts hold ${hidden} reports ${JSON.stringify(parts)}`).toBe(true);
  } else {
    expect(
      withReports.filter((p) => !p.suppressed),
      `${label}: whole suppressed, parts shown`,
    ).toEqual([]);
  }
}

async function expectPrivateDashboard(target: TestApi, week: string, filter: { country?: string; city?: string }, k: number, tally: Tally) {
  const response = await target.graphql<PrivateStats>(STATS, { week, filter });
  expectNoGraphQLErrors(response, STATS, { week, filter });
  const stats = response.data.dashboardStats;
  const label = `${week} ${JSON.stringify(filter)}`;
  expect(stats.minGroupSize).toBe(k);
  const inScope = (c: Cell) => (!filter.country || c.country === filter.country) && (!filter.city || c.city === filter.city);
  const now = (await cellsOf(week)).filter(inScope);
  expectGroup(`${label} current`, stats.current, sum(now), k, tally);
  expectGroup(`${label} previous`, stats.previous, sum((await cellsOf(previousWeek(week))).filter(inScope)), k, tally);
  if (stats.current.suppressed || stats.previous.suppressed) {
    expect(stats.change, label).toEqual({
      reportsSubmitted: stats.current.reportsSubmitted - stats.previous.reportsSubmitted,
      averageStress: null,
      averageWorkdays: null,
      hires: null,
      incidents: null,
    });
  }
  for (const column of ['country', 'city', 'role'] as const) {
    const list = stats[BREAKDOWNS[column]];
    expect(
      list.map((b) => b.key),
      `${label} by ${column}`,
    ).toEqual(expect.arrayContaining([...new Set(now.map((c) => c[column]))]));
    const parts = list.map((b) => ({ key: b.key, reports: sum(now.filter((c) => c[column] === b.key)), suppressed: b.figures.suppressed }));
    for (const [i, b] of list.entries()) expectGroup(`${label} ${column}=${b.key}`, b.figures, parts[i]!.reports, k, tally);
    expectHidden(`${label} by ${column}`, !stats.current.suppressed, parts, k);
  }
  // A country's cities are a partition of it: its row minus its shown cities must not give a small group.
  for (const country of stats.byCountry) {
    const cities = stats.byCity.map((b) => ({
      key: b.key,
      reports: sum(now.filter((c) => c.country === country.key && c.city === b.key)),
      suppressed: b.figures.suppressed,
    }));
    expectHidden(`${label} cities of ${country.key}`, !country.figures.suppressed, cities, k);
  }
}

/** Filters a dashboard user may try: none, each country, each city with and without its country. */
async function filtersOf(week: string) {
  const cells = await cellsOf(week);
  const places = [...new Map(cells.map((c) => [`${c.country}/${c.city}`, { country: c.country, city: c.city }])).values()];
  return [
    {},
    ...[...new Set(cells.map((c) => c.country))].map((country) => ({ country })),
    ...places,
    ...[...new Set(cells.map((c) => c.city))].map((city) => ({ city })),
  ];
}

it('suppresses small groups and their complements in every breakdown, for every filter and viewer', async () => {
  const tally: Tally = { groups: 0, suppressed: 0, complementary: 0 };
  const [analyst] = await api.db.sql.query<{ id: number }>("SELECT id FROM users WHERE role = 'ANALYST' AND active ORDER BY id LIMIT 1");
  for (const week of [END, addWeeks(END, -2)]) {
    const filters = await filtersOf(week);
    for (const [i, filter] of filters.entries()) {
      // The same answer for everyone allowed to ask (it is cached per arguments): alternate viewers.
      api.actAs(i % 2 ? managerId : analyst!.id);
      await expectPrivateDashboard(api, week, filter, K, tally);
    }
  }
  // The dataset exercises the rule: many small groups, and big ones hidden to protect them.
  expect(tally.suppressed).toBeGreaterThan(100);
  expect(tally.complementary).toBeGreaterThan(10);
  expect(tally.groups - tally.suppressed).toBeGreaterThan(100);
});

it('suppresses the same countries in countryAnalytics as in dashboardStats, week by week', async () => {
  const [admin] = await api.db.sql.query<{ id: number }>("SELECT id FROM users WHERE role = 'ADMIN' AND active ORDER BY id LIMIT 1");
  api.actAs(admin!.id);
  const from = addWeeks(END, -3);
  const response = await api.graphql(
    graphql(`query PrivacyCountrySeries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) { country weeks {
      week reportsSubmitted suppressed averageStress averageWorkdays highStressReports hires attritions incidents slaBreaches } } }`),
    { from, to: END },
  );
  expectNoGraphQLErrors(response);
  const series = response.data.countryAnalytics;
  let suppressed = 0;
  for (let w = 0; w <= 3; w++) {
    const week = addWeeks(from, w);
    const cells = await cellsOf(week);
    const parts = series.map(({ country, weeks }) => ({
      key: country,
      reports: sum(cells.filter((c) => c.country === country)),
      ...weeks[w]!,
    }));
    for (const part of parts) {
      expect(part.week).toBe(week);
      expect(part.reportsSubmitted, `${week} ${part.key}`).toBe(part.reports);
      if (part.reports > 0 && part.reports < K) expect(part.suppressed, `${week} ${part.key}`).toBe(true);
      if (part.suppressed) {
        suppressed++;
        expect(part, `${week} ${part.key}`).toMatchObject({
          averageStress: null,
          averageWorkdays: null,
          highStressReports: null,
          hires: null,
          attritions: null,
          incidents: null,
          slaBreaches: null,
        });
      }
    }
    // The company's total of the week is shown (dashboardStats): the suppressed countries must not be its remainder.
    expectHidden(`${week} countries`, sum(cells) >= K, parts, K);
    const dashboard = await api.graphql<{ dashboardStats: { byCountry: { key: string; figures: { suppressed: boolean } }[] } }>(
      `{ dashboardStats(week: "${week}") { byCountry { key figures { suppressed } } } }`,
    );
    expectNoGraphQLErrors(dashboard);
    const inDashboard = Object.fromEntries(dashboard.data.dashboardStats.byCountry.map((b) => [b.key, b.figures.suppressed]));
    expect(Object.fromEntries(parts.map((p) => [p.key, p.suppressed])), week).toEqual(inDashboard);
  }
  expect(suppressed).toBeGreaterThan(0);
});

it('reads the minimum group size from ANALYTICS_MIN_GROUP_SIZE (default 5, at least 2)', async () => {
  expect(K).toBe(5);
  expect(loadConfig({ ANALYTICS_MIN_GROUP_SIZE: '12' }).analytics.minGroupSize).toBe(12);
  for (const wrong of ['1', '0', 'five', '2.5']) expect(() => loadConfig({ ANALYTICS_MIN_GROUP_SIZE: wrong }), wrong).toThrow(ConfigError);

  const strict = await startTestApi({ db: api.db, analytics: { minGroupSize: 12 } });
  try {
    strict.actAs(managerId);
    const tally: Tally = { groups: 0, suppressed: 0, complementary: 0 };
    for (const filter of [{}, { country: 'PT' }, { country: 'PT', city: 'Coimbra' }, { city: 'Berlin' }]) {
      await expectPrivateDashboard(strict, END, filter, 12, tally);
    }
    // Coimbra's seven reports are shown under the default minimum, not under 12.
    const coimbra = await strict.graphql<{
      dashboardStats: { current: { reportsSubmitted: number; suppressed: boolean; averageStress: number | null } };
    }>(
      `{ dashboardStats(week: "${END}", filter: { country: "PT", city: "Coimbra" }) { current { reportsSubmitted suppressed averageStress } } }`,
    );
    expectNoGraphQLErrors(coimbra);
    expect(coimbra.data.dashboardStats.current).toEqual({ reportsSubmitted: 7, suppressed: true, averageStress: null });
    const [admin] = await api.db.sql.query<{ id: number }>("SELECT id FROM users WHERE role = 'ADMIN' AND active ORDER BY id LIMIT 1");
    strict.actAs(admin!.id);
    const series = await strict.graphql<{
      countryAnalytics: { country: string; weeks: { reportsSubmitted: number; suppressed: boolean; hires: number | null }[] }[];
    }>(`{ countryAnalytics(from: "${END}", to: "${END}") { country weeks { reportsSubmitted suppressed hires } } }`);
    expectNoGraphQLErrors(series);
    const weeks = series.data.countryAnalytics.map((s) => s.weeks[0]!);
    for (const week of weeks)
      if (week.reportsSubmitted > 0 && week.reportsSubmitted < 12) expect(week).toEqual({ ...week, suppressed: true, hires: null });
    expect(weeks.some((w) => w.reportsSubmitted >= 5 && w.reportsSubmitted < 12)).toBe(true);
  } finally {
    await strict.close();
  }
});
