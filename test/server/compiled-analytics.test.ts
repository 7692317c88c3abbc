// Which operations graphql-jit executes (src/server/use-compiled-analytics.ts): only those whose every root
// field is an analytics field, so nothing else meets graphql-jit's gaps (input defaults, Pothos' Prisma
// selections); and a compiled dashboard answers exactly what Yoga's executor answers for the same document.
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compiledOperation } from '../../src/server/use-compiled-analytics.js';
import { expectNoGraphQLErrors } from '../kit/api.js';
import { setupTestApi } from '../kit/setup-test-api.js';
import { TEAM_END_WEEK } from '../kit/scenarios.js';

const DASHBOARD = `query Dashboard($week: IsoWeek!) { dashboardStats(week: $week) { week current { reportsSubmitted averageStress stressDistribution hr { hires } }
  byCountry { key figures { activeUsers submissionRate suppressed ops { incidents } } } byRole { key figures { averageWorkdays } } } }`;

describe('which operations are compiled', () => {
  it.each([
    [DASHBOARD, undefined, true],
    ['{ countryAnalytics(from: "2026-W01", to: "2026-W02") { country } }', undefined, true],
    ['query { ...F } fragment F on Query { dashboardStats(week: "2026-W01") { week } }', undefined, true],
    // One root field outside the list keeps the whole operation on Yoga's executor.
    ['{ dashboardStats(week: "2026-W01") { week } users(first: 1) { totalCount } }', undefined, false],
    ['{ users(first: 1) { totalCount } }', undefined, false],
    ['mutation { submitWeeklyReport(input: { week: "2026-W01", workdays: 5, stressLevel: 2 }) { report { id } } }', undefined, false],
    ['{ __typename }', undefined, false],
    // The operation that runs is the named one.
    ['query A { dashboardStats(week: "2026-W01") { week } } query B { me { id } }', 'B', false],
    ['query A { dashboardStats(week: "2026-W01") { week } } query B { me { id } }', 'A', true],
  ])('%s (%s): %s', (document, operationName, compiled) => {
    expect(compiledOperation(parse(document), operationName)).toBe(compiled);
  });
});

const { api } = setupTestApi({ actAs: 'analyst' });

it('answers a compiled dashboard exactly as the same fields answer on the executor', async () => {
  const compiled = await api.graphql(DASHBOARD, { week: TEAM_END_WEEK });
  // The same selection next to a field outside the list runs on Yoga's executor.
  const executed = await api.graphql(
    DASHBOARD.replace('query Dashboard($week: IsoWeek!) {', 'query Dashboard($week: IsoWeek!) { me { id }'),
    {
      week: TEAM_END_WEEK,
    },
  );
  expectNoGraphQLErrors(compiled);
  expectNoGraphQLErrors(executed);
  const { me: _me, ...sameFields } = executed.data as Record<string, unknown>;
  expect(compiled.data).toEqual(sameFields);
  expect(
    (compiled.data as { dashboardStats: { current: { reportsSubmitted: number } } }).dashboardStats.current.reportsSubmitted,
  ).toBeGreaterThan(0);
});
