// Page 1000 costs what page 1 costs: a deep keyset page starts its index scan at the cursor and reads
// about one page of entries, as the first page does (EXPLAIN ANALYZE of the SQL the API actually sent).
import { beforeAll, expect, it } from 'vitest';
import { encodeCursor, type KeysetOrder } from '../../src/schema/pagination/keyset.js';
import { expectNoGraphQLErrors } from '../kit/api.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api } = setupTestApi({ team: false });
const USERS = 5000; // plus one ADMIN to read them as

beforeAll(async () => {
  await api.db.sql.query(
    `INSERT INTO users (email, name, city, country, created_at, updated_at)
     SELECT 'u' || g || '@example.com', 'Name ' || lpad((g % 997)::text, 4, '0'), 'City ' || (g % 40), 'DE',
            timestamp '2025-01-01' + g * interval '1 hour', now()
     FROM generate_series(1, $1::int) AS g`,
    [USERS],
  );
  const [admin] = await api.db.sql.query<{ id: number }>(
    `INSERT INTO users (email, name, role, city, country, updated_at) VALUES ('admin@example.com', 'Admin', 'ADMIN', 'Berlin', 'DE', now()) RETURNING id`,
  );
  api.actAs(admin!.id);
  await api.db.sql.exec('ANALYZE users');
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

const flatten = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(flatten)];

/** Runs the query, then EXPLAIN ANALYZE of the exact SQL and parameters Prisma sent for the page. */
async function planOf(query: string, variables: Record<string, unknown>) {
  const events: { sql: string; params: string }[] = [];
  // The viewer lookup that authenticates every request (what `{ __typename }` alone runs) is not the page.
  const lookup: string[] = [];
  const stopLooking = api.db.onQuery((e) => lookup.push(e.sql));
  await api.graphql('{ __typename }');
  stopLooking();
  const stop = api.db.onQuery((e) => events.push(e));
  const response = await api.graphql<{ users: { edges: { node: { id: string; name: string } }[] } }>(query, variables);
  stop();
  expectNoGraphQLErrors(response, query, variables);
  expect(response.data.users.edges).toHaveLength(20);
  const page = events.find((e) => !lookup.includes(e.sql) && /ORDER BY/.test(e.sql) && /FROM "public"\."users"/.test(e.sql))!;
  const [row] = await api.db.sql.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${page.sql}`,
    JSON.parse(page.params) as unknown[],
  );
  return flatten(row!['QUERY PLAN'][0].Plan);
}

it.each([
  ['name', 'NAME', 'string', 'users_name_id_idx'],
  ['created_at', 'CREATED_AT', 'date', 'users_created_at_id_idx'],
] as const)('starts deep pages at the cursor through the index (order by %s)', async (column, field, type, index) => {
  const order: KeysetOrder = [
    { field: column === 'name' ? 'name' : 'createdAt', direction: 'asc', type },
    { field: 'id', direction: 'asc', type: 'int' },
  ];
  const query = `query($after: String) { users(first: 20, after: $after, orderBy: { field: ${field} }) {
    edges { node { id name } } } }`;
  const plans = [await planOf(query, { after: null })];
  for (const position of [USERS / 2, USERS - 40]) {
    const [row] = await api.db.sql.query<{ id: number; name: string; createdAt: Date }>(
      `SELECT id, name, created_at AS "createdAt" FROM users ORDER BY ${column}, id OFFSET $1 LIMIT 1`,
      [position],
    );
    const plan = await planOf(query, { after: encodeCursor(order, row!) });
    const scan = plan.find((n) => n['Index Name'] === index);
    expect(scan?.['Index Cond'], JSON.stringify(plan)).toMatch(new RegExp(`${column} >=`));
    plans.push(plan);
  }
  for (const plan of plans) {
    expect(
      plan.some((n) => n['Node Type'] === 'Seq Scan'),
      JSON.stringify(plan),
    ).toBe(false);
    const scan = plan.find((n) => n['Index Name'] === index)!;
    // About one page (LIMIT 21, plus rows sharing the cursor's sort value), at depth 0, 2500 or 4959 alike.
    expect(scan['Actual Rows'] * scan['Actual Loops'], JSON.stringify(plan)).toBeLessThanOrEqual(60);
  }
});
