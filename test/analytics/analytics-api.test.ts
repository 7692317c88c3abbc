// countryAnalytics and stressAlerts through the API: figures equal to the raw rows (withheld for countries
// of too few reports), ranges validated, permissions, and alerts limited to the people the viewer may read.
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addWeeks, previousWeek } from '../../src/domain/iso-week.js';
import { computeCountryAnalytics } from '../../src/services/compute-country-analytics.js';
import { expectErrorCode, expectNoGraphQLErrors } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { globalId } from '../kit/global-id.js';
import { TEAM_END_WEEK } from '../kit/scenarios.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api, team } = setupTestApi({ team: { users: 40, weeks: 4 } });

const COUNTRIES = graphql(`query AnalyticsApiCountries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) {
  country activeUsers weeks { week reportsSubmitted suppressed averageStress highStressReports hires incidents } } }`);
const K = loadConfig({}).analytics.minGroupSize;

it('gives every country a full weekly series equal to the raw rows', async () => {
  api.actAs(team.adminId);
  const from = addWeeks(TEAM_END_WEEK, -4);
  const response = await api.graphql(COUNTRIES, { from, to: TEAM_END_WEEK });
  expectNoGraphQLErrors(response);
  const series = response.data.countryAnalytics;
  const raw = await api.db.sql.query<{
    country: string;
    week: string;
    reports: number;
    stress: number | null;
    high: number;
    hires: number;
    incidents: number;
  }>(
    `SELECT u.country, r.week, count(*)::int AS reports, round(avg(r.stress_level), 2)::float8 AS stress,
            (count(*) FILTER (WHERE r.stress_level >= 8))::int AS high,
            coalesce(sum(h.hires), 0)::int AS hires, coalesce(sum(o.incidents), 0)::int AS incidents
     FROM weekly_reports r JOIN users u ON u.id = r.user_id
     LEFT JOIN hr_metrics h ON h.report_id = r.id LEFT JOIN ops_metrics o ON o.report_id = r.id
     WHERE r.week BETWEEN $1 AND $2 GROUP BY u.country, r.week`,
    [from, TEAM_END_WEEK],
  );
  expect(series.length).toBeGreaterThan(3);
  // Every figure, with nothing suppressed (minimum group size 1)...
  const unsuppressed = await computeCountryAnalytics({ prisma: api.db.prisma, from, to: TEAM_END_WEEK, minGroupSize: 1 });
  expect(unsuppressed.map((c) => c.country)).toEqual(series.map((c) => c.country));
  let shown = 0;
  for (const [i, country] of series.entries()) {
    expect(country.weeks.map((w) => w.week)).toEqual([0, 1, 2, 3, 4].map((i) => addWeeks(from, i)));
    for (const [w, week] of country.weeks.entries()) {
      const row = raw.find((r) => r.country === country.country && r.week === week.week);
      const exact = {
        week: week.week,
        reportsSubmitted: row?.reports ?? 0,
        suppressed: false,
        averageStress: row?.stress ?? null,
        highStressReports: row?.high ?? 0,
        hires: row?.hires ?? 0,
        incidents: row?.incidents ?? 0,
      };
      const label = `${country.country} ${week.week}`;
      expect(unsuppressed[i]!.weeks[w], label).toMatchObject(exact);
      // ...and through the API: exact where shown, counts only where suppressed (always below K reports).
      if (exact.reportsSubmitted > 0 && exact.reportsSubmitted < K) expect(week.suppressed, label).toBe(true);
      const withheld = { suppressed: true, averageStress: null, highStressReports: null, hires: null, incidents: null };
      expect(week, label).toEqual(week.suppressed ? { ...exact, ...withheld } : exact);
      if (!week.suppressed && exact.reportsSubmitted > 0) shown++;
    }
  }
  expect(shown).toBeGreaterThan(0);
});

it('refuses more than 53 weeks, inverted ranges, and viewers other than ANALYST and ADMIN', async () => {
  api.actAs(team.adminId);
  expectErrorCode(await api.graphql(COUNTRIES, { from: '2025-W01', to: '2026-W05' }), 'BAD_USER_INPUT');
  expectErrorCode(await api.graphql(COUNTRIES, { from: '2026-W10', to: '2026-W01' }), 'BAD_USER_INPUT');
  expectNoGraphQLErrors(await api.graphql(COUNTRIES, { from: '2025-W01', to: '2025-W53'.replace('53', '52') }));
  for (const actor of [team.managerIds[0]!, team.userIds[3]!]) {
    api.actAs(actor);
    expectErrorCode(await api.graphql(COUNTRIES, { from: '2026-W01', to: '2026-W02' }), 'FORBIDDEN');
  }
});

it('lists people stressed two weeks in a row, only among those the viewer may read', async () => {
  const week = TEAM_END_WEEK;
  const query = graphql(
    `query AnalyticsApiStressAlerts($week: IsoWeek!) { stressAlerts(week: $week, first: 100) { totalCount edges { node { id name } } } }`,
  );
  const stressed = await api.db.sql.query<{ id: number; manager_id: number | null }>(
    `SELECT u.id, u.manager_id FROM users u
     JOIN weekly_reports a ON a.user_id = u.id AND a.week = $1 AND a.stress_level >= 8
     JOIN weekly_reports b ON b.user_id = u.id AND b.week = $2 AND b.stress_level >= 8
     ORDER BY u.name, u.id`,
    [week, previousWeek(week)],
  );
  expect(stressed.length).toBeGreaterThan(0);
  api.actAs(team.adminId);
  const all = await api.graphql(query, { week });
  expectNoGraphQLErrors(all);
  expect(all.data.stressAlerts.edges.map((e) => e.node.id)).toEqual(stressed.map((s) => globalId('User', s.id)));
  expect(all.data.stressAlerts.totalCount).toBe(stressed.length);

  const manager = stressed.find((s) => s.manager_id !== null)!.manager_id!;
  api.actAs(manager);
  const team_ = await api.graphql(query, { week });
  expectNoGraphQLErrors(team_);
  expect(team_.data.stressAlerts.edges.map((e) => e.node.id)).toEqual(
    stressed.filter((s) => s.manager_id === manager || s.id === manager).map((s) => globalId('User', s.id)),
  );
  const [outsider] = (
    await api.db.sql.query<{ id: number }>(
      "SELECT id FROM users WHERE role = 'EMPLOYEE' AND NOT (id = ANY($1::int[])) ORDER BY id LIMIT 1",
      [stressed.map((s) => s.id)],
    )
  ).map((r) => r.id);
  api.actAs(outsider!);
  const none = await api.graphql(query, { week });
  expectNoGraphQLErrors(none);
  expect(none.data.stressAlerts.totalCount).toBe(0);
});
