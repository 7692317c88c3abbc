// Proves the "fetch only what was asked" claims from the SQL that actually ran (Prisma query events):
// columns follow the selection, nested pages are one statement, DataLoader fields one statement per page.
import { describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors, type Document } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api } = setupTestApi({ team: { users: 60, weeks: 6 }, actAs: 'admin' });

async function run<D, V extends Record<string, unknown> = Record<string, unknown>>(query: Document<D, V>, variables?: V) {
  const { result, statements } = await api.recordSql(() => api.graphql(query, variables));
  expectNoGraphQLErrors(result, query, variables);
  return { data: result.data, statements };
}

/** Columns of `table` that a statement reads, from Prisma's aliased SQL ("tN"."column"). */
function columnsRead(statements: string[], table: string): Set<string> {
  const columns = new Set<string>();
  for (const sql of statements) {
    for (const alias of sql.matchAll(new RegExp(`"public"\\."${table}" AS "(t\\d+)"`, 'g'))) {
      for (const column of sql.matchAll(new RegExp(`"${alias[1]}"\\."(\\w+)"`, 'g'))) columns.add(column[1]!);
    }
    for (const column of sql.matchAll(new RegExp(`"public"\\."${table}"\\."(\\w+)"`, 'g'))) columns.add(column[1]!);
  }
  return columns;
}

describe('column projection', () => {
  it('selects only the user columns the query asks for', async () => {
    const { statements } = await run('{ users(first: 5) { edges { node { name city } } } }');
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toMatch(/\.\*|"email"|"country"|"role"|"created_at"|"updated_at"|"active"/);
    // manager_id rides along on every user row: it decides who sees the full profile.
    expect(columnsRead(statements, 'users')).toEqual(new Set(['id', 'manager_id', 'name', 'city']));
  });

  it('adds the sort key of the ordering, and no more', async () => {
    const { statements } = await run('{ users(first: 5, orderBy: { field: CREATED_AT }) { edges { node { email } } } }');
    expect(columnsRead(statements, 'users')).toEqual(new Set(['id', 'manager_id', 'email', 'created_at']));
  });

  it('selects only the requested report and metrics columns in nested relations', async () => {
    const { statements } = await run(`{ weeklyReports(first: 10) { edges { node {
      stressLevel hrMetrics { hires } opsMetrics { incidents } user { country } } } } }`);
    expect(statements).toHaveLength(1);
    const sql = statements[0]!;
    expect(sql).toMatch(/"stress_level"/);
    expect(sql).toMatch(/"hires"/);
    expect(sql).toMatch(/"incidents"/);
    expect(sql).not.toMatch(
      /"highlights"|"blockers"|"workdays"|"interviews"|"offers"|"orders_processed"|"sla_breaches"|"email"|"submitted_at"/,
    );
  });
});

describe('statement counts do not grow with the page (no N+1)', () => {
  const nested = graphql(`query ProjectionNestedReports($n: Int!) { users(first: $n) { edges { node { name
    reports(first: 4) { edges { node { week hrMetrics { hires } } } } } } } }`);

  it('runs the same statements for first: 5 and first: 50 with nested reports and metrics', async () => {
    const small = await run(nested, { n: 5 });
    const large = await run(nested, { n: 50 });
    expect(small.data.users.edges).toHaveLength(5);
    expect(large.data.users.edges).toHaveLength(50);
    expect(large.data.users.edges.every((e) => e.node.reports.edges.length <= 4)).toBe(true);
    expect(large.statements.length).toBe(small.statements.length);
    expect(large.statements.length).toBe(1);
  });

  it('batches User.latestReport into one statement per page', async () => {
    const query = graphql(
      `query ProjectionLatestReports($n: Int!) { users(first: $n) { edges { node { latestReport { week stressLevel } } } } }`,
    );
    const small = await run(query, { n: 5 });
    const large = await run(query, { n: 50 });
    expect(large.statements.length).toBe(small.statements.length);
    expect(large.statements.length).toBe(2);
    // The batch reads through (user_id, week) with a per-user LIMIT 1, not every report of the page.
    expect(large.statements[1]).toMatch(/LIMIT/);
    // Correctness: each user's latest report equals SQL's answer.
    const rows = await api.db.sql.query<{ name: string; week: string | null }>(`
      SELECT u.name, (SELECT max(week) FROM weekly_reports r WHERE r.user_id = u.id) AS week
      FROM users u ORDER BY u.name, u.id LIMIT 50`);
    expect(large.data.users.edges.map((e) => e.node.latestReport?.week ?? null)).toEqual(rows.map((r) => r.week));
  });

  it('batches WeeklyReport.previous into one statement per page', async () => {
    const query = graphql(
      `query ProjectionPreviousReports($n: Int!) { weeklyReports(first: $n) { edges { node { week user { id } previous { week stressLevel } } } } }`,
    );
    const small = await run(query, { n: 5 });
    const large = await run(query, { n: 50 });
    expect(large.statements.length).toBe(small.statements.length);
    expect(large.statements.length).toBe(2);
    const expected = await api.db.sql.query<{ prev: number | null }>(`
      SELECT p.stress_level AS prev FROM weekly_reports r
      LEFT JOIN weekly_reports p ON p.user_id = r.user_id
        AND p.week = to_char(to_date(r.week, 'IYYY-"W"IW') - 7, 'IYYY-"W"IW')
      ORDER BY r.week DESC, r.id DESC LIMIT 50`);
    expect(large.data.weeklyReports.edges.map((e) => e.node.previous?.stressLevel ?? null)).toEqual(expected.map((r) => r.prev));
    expect(large.data.weeklyReports.edges.some((e) => e.node.previous === null)).toBe(true);
  });

  it('computes totalCount only when it is selected', async () => {
    const without = await run('{ users(first: 3) { edges { node { id } } } }');
    const withCount = await run('{ users(first: 3) { totalCount edges { node { id } } } }');
    expect(without.statements.some((s) => /COUNT\(/i.test(s))).toBe(false);
    expect(withCount.statements.filter((s) => /COUNT\(/i.test(s))).toHaveLength(1);
  });
});

describe('keyset pagination', () => {
  it('continues from the cursor with an index range condition, not OFFSET', async () => {
    const first = await run(graphql(`query ProjectionFirstPage { users(first: 10) { pageInfo { endCursor } } }`));
    const next = await run('query($after: String) { users(first: 10, after: $after) { edges { node { id } } } }', {
      after: first.data.users.pageInfo.endCursor,
    });
    const sql = next.statements[0]!;
    expect(sql).not.toMatch(/OFFSET/);
    // Leading bound on the sort key (lets PostgreSQL start the (name, id) index scan at the cursor).
    expect(sql).toMatch(/"name" >= \$\d+/);
  });
});
