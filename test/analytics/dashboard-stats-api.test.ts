// dashboardStats through the API: the service's figures, filters validated, and the shared aggregate cache
// (one computation for every allowed viewer, recomputed after a submit to that week).
import { expect, it } from 'vitest';
import { computeDashboardStats } from '../../src/services/compute-dashboard-stats.js';
import { expectErrorCode, expectNoGraphQLErrors } from '../kit/api.js';
import { TEAM_END_WEEK } from '../kit/scenarios.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api, team } = setupTestApi({ team: { users: 40, weeks: 3 } });

const QUERY = graphql(`query DashboardStatsApi($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {
  week previousWeek
  current { reportsSubmitted activeUsers submissionRate suppressed averageStress stressDistribution averageWorkdays hr { hires } ops { incidents } }
  previous { reportsSubmitted }
  change { reportsSubmitted averageStress hires }
  byCountry { key figures { reportsSubmitted } } byCity { key figures { reportsSubmitted } } byRole { key figures { activeUsers } } } }`);

it('answers the service’s figures, with changes and breakdowns', async () => {
  api.actAs(team.managerIds[0]!);
  const response = await api.graphql(QUERY, { week: TEAM_END_WEEK });
  expectNoGraphQLErrors(response);
  const stats = await computeDashboardStats({ prisma: api.db.prisma, week: TEAM_END_WEEK });
  const got = response.data.dashboardStats;
  expect(got.current).toEqual({
    reportsSubmitted: stats.current.reportsSubmitted,
    activeUsers: stats.current.activeUsers,
    submissionRate: stats.current.submissionRate,
    suppressed: false,
    averageStress: stats.current.averageStress,
    stressDistribution: stats.current.stressDistribution,
    averageWorkdays: stats.current.averageWorkdays,
    hr: { hires: stats.current.hr!.hires },
    ops: { incidents: stats.current.ops!.incidents },
  });
  expect(got.current.stressDistribution).toHaveLength(10);
  expect(got.change.reportsSubmitted).toBe(stats.current.reportsSubmitted - stats.previous.reportsSubmitted);
  expect(got.byCountry.map((b) => b.key)).toEqual(stats.byCountry.map((b) => b.key));
  expect(got.byCountry.reduce((n, b) => n + b.figures.reportsSubmitted, 0)).toBe(stats.current.reportsSubmitted);
  expect(got.byRole.reduce((n, b) => n + b.figures.activeUsers, 0)).toBe(stats.current.activeUsers);
});

it('filters by country and city, and validates the country code', async () => {
  api.actAs(team.adminId);
  const filtered = await api.graphql(QUERY, { week: TEAM_END_WEEK, filter: { country: 'de', city: 'Berlin' } });
  expectNoGraphQLErrors(filtered);
  const stats = await computeDashboardStats({ prisma: api.db.prisma, week: TEAM_END_WEEK, filter: { country: 'DE', city: 'Berlin' } });
  expect(filtered.data.dashboardStats.current.reportsSubmitted).toBe(stats.current.reportsSubmitted);
  expect(filtered.data.dashboardStats.byCity.map((b: { key: string }) => b.key)).toEqual(['Berlin']);
  expectErrorCode(await api.graphql(QUERY, { week: TEAM_END_WEEK, filter: { country: 'Germany' } }), 'BAD_USER_INPUT');
});

it('computes once for all allowed viewers, and again after a submit to that week', async () => {
  const week = '2026-W46';
  const statements = async (actor: number) => {
    api.actAs(actor);
    const { result, statements } = await api.recordSql(() => api.graphql(QUERY, { week }));
    expectNoGraphQLErrors(result);
    return { count: statements.length, reports: result.data.dashboardStats.current.reportsSubmitted as number };
  };
  const first = await statements(team.adminId);
  expect(first.count).toBeGreaterThan(0);
  expect((await statements(team.managerIds[1]!)).count).toBe(0);

  const author = team.userIds[2]!;
  const existing = await api.db.sql.query('SELECT 1 FROM weekly_reports WHERE user_id = $1 AND week = $2', [author, week]);
  api.actAs(author);
  expectNoGraphQLErrors(
    await api.graphql('mutation($i: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $i) { report { id } } }', {
      i: { week, workdays: 5, stressLevel: 9, highlights: 'late report' },
    }),
  );
  const after = await statements(team.adminId);
  expect(after.count).toBeGreaterThan(0);
  expect(after.reports).toBe(first.reports + (existing.length ? 0 : 1));
});
