// The cost limit: page sizes multiply (from literals, variables or the default page size), so nested
// pages that would fetch millions of rows are refused before any SQL runs, while the dashboard's largest
// real page (100 people with 4 reports each and their metrics) passes. nodes(ids:) is capped as input.
import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { schema } from '../../src/schema/index.js';
import { operationCost } from '../../src/server/query-cost.js';
import { expectErrorCode, expectNoGraphQLErrors, startTestApi } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { globalId } from '../kit/global-id.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const MAX_COST = loadConfig({}).limits.maxCost;

function costOf(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  return operationCost(schema, document, getOperationAST(document)!, variables);
}

const REPORT_WITH_METRICS =
  'week stressLevel workdays hrMetrics { interviews offers hires attritions } opsMetrics { ordersProcessed tasksCompleted incidents slaBreaches }';
const PEOPLE_WITH_REPORTS = `query People($people: Int!, $reports: Int!) {
  users(first: $people) { totalCount edges { cursor node { name city latestReport { week } reports(first: $reports) { edges { node { ${REPORT_WITH_METRICS} } } } } } }
}`;
const TEAMS_OF_TEAMS = `{
  users(first: 100) { edges { node { directReports(first: 100) { edges { node { reports(first: 100) { edges { node { week } } } } } } } } }
}`;

const { api, team } = setupTestApi({ team: { users: 12, weeks: 2 }, actAs: 'admin' });

describe('the estimate', () => {
  it('counts every field once per row of the pages above it', () => {
    // users: 1 + 2 rows x (edges: 1 + node: 1 + name: 1)
    expect(costOf('{ users(first: 2) { edges { node { name } } } }')).toBe(7);
    // the same page twice as deep: 1 + 2 x (1 + 1 + 1 + directReports: (1 + 3 x (1 + 1 + 1)))
    expect(costOf('{ users(first: 2) { edges { node { name directReports(first: 3) { edges { node { name } } } } } } }')).toBe(27);
  });

  it('reads page sizes from variables, their defaults, and the default page size', () => {
    const literal = costOf('{ users(first: 7) { edges { node { name } } } }');
    expect(costOf('query($n: Int) { users(first: $n) { edges { node { name } } } }', { n: 7 })).toBe(literal);
    expect(costOf('query($n: Int = 7) { users(first: $n) { edges { node { name } } } }')).toBe(literal);
    expect(costOf('query($n: Int) { users(last: $n) { edges { node { name } } } }', { n: 7 })).toBe(literal);
    expect(costOf('{ users { edges { node { name } } } }')).toBe(costOf('{ users(first: 20) { edges { node { name } } } }'));
  });

  it('prices fragments like the fields they stand for, inline or named', () => {
    const plain = costOf('{ users(first: 5) { edges { node { name city } } } }');
    expect(costOf('{ users(first: 5) { edges { node { ...P } } } } fragment P on User { name city }')).toBe(plain);
    expect(costOf('{ users(first: 5) { edges { node { ... on User { name city } } } } }')).toBe(plain);
  });

  it('keeps page sizes the field refuses anyway from inflating it', () => {
    expect(costOf('{ users(first: 100000) { edges { cursor } } }')).toBe(costOf('{ users(first: 100) { edges { cursor } } }'));
  });
});

describe('the limit', () => {
  it('lets 100 people with 4 reports each and their metrics through, as literals and as variables', async () => {
    const variables = { people: 100, reports: 4 };
    expect(costOf(PEOPLE_WITH_REPORTS, variables)).toBeLessThan(MAX_COST / 5);
    const response = await api.graphql<{ users: { totalCount: number; edges: { cursor: string }[] } }>(PEOPLE_WITH_REPORTS, variables);
    expectNoGraphQLErrors(response, PEOPLE_WITH_REPORTS, variables);
    expect(response.data.users.edges.length).toBeGreaterThan(0);
  });

  it('refuses 100 x 100 x 100 before any SQL runs', async () => {
    const { result: response, statements } = await api.recordSql(() => api.graphql(TEAMS_OF_TEAMS));
    const message = expectErrorCode(response, 'QUERY_TOO_COMPLEX');
    expect(message).toMatch(/exceeds the limit of 50000/);
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(statements).toEqual([]);
  });

  it('prices a page size sent as a variable: the same query passes with 4 and is refused with 100 x 100', async () => {
    expectNoGraphQLErrors(await api.graphql(PEOPLE_WITH_REPORTS, { people: 10, reports: 4 }));
    expectErrorCode(await api.graphql(PEOPLE_WITH_REPORTS, { people: 100, reports: 100 }), 'QUERY_TOO_COMPLEX');
  });

  it('takes MAX_COST from the environment', async () => {
    expect(loadConfig({ MAX_COST: '1234' }).limits.maxCost).toBe(1234);
    const strict = await startTestApi({ db: api.db, limits: { maxCost: 10 } });
    try {
      strict.actAs(team.adminId);
      expectNoGraphQLErrors(await strict.graphql('{ users(first: 2) { edges { node { name } } } }'));
      expectErrorCode(await strict.graphql('{ users(first: 4) { edges { node { name } } } }'), 'QUERY_TOO_COMPLEX');
    } finally {
      await strict.close();
    }
  });

  it('says only "Query is too complex." in production', async () => {
    const production = await startTestApi({ db: api.db, production: true });
    try {
      production.actAs(team.adminId);
      const response = await production.graphql(TEAMS_OF_TEAMS);
      expect(expectErrorCode(response, 'QUERY_TOO_COMPLEX')).toBe('Query is too complex.');
    } finally {
      await production.close();
    }
  });
});

describe('nodes(ids:)', () => {
  const ids = (n: number) =>
    team.userIds
      .concat(team.userIds, team.userIds, team.userIds, team.userIds)
      .slice(0, n)
      .map((id) => globalId('User', id));

  it('looks up 50 ids', async () => {
    const response = await api.graphql(graphql(`query QueryCostNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }`), { ids: ids(50) });
    expectNoGraphQLErrors(response);
    expect(response.data.nodes).toHaveLength(50);
  });

  it('refuses 100 ids as bad input, before looking any up', async () => {
    const many = [...ids(50), ...ids(50)];
    const { result: response, statements } = await api.recordSql(() =>
      api.graphql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: many }),
    );
    expect(expectErrorCode(response, 'BAD_USER_INPUT')).toMatch(/at most 50 ids/);
    expect(statements).toEqual([]);
  });

  it('prices the ids like rows of a page', () => {
    expect(costOf('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(1 + 3 * 1);
  });
});
