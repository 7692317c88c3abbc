// EXPLAIN of every analytics query the API sends: none scans weekly_reports sequentially (dashboard figures
// and country series read only the pre-aggregated table; alerts and exports go through indexes).
import { beforeAll, expect, it } from 'vitest';
import { seedDataset } from '../../src/seed/seed-dataset.js';
import { expectNoGraphQLErrors, ORIGIN } from '../kit/api.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api } = setupTestApi({ team: false });
let adminId: number;
const END = '2026-W20';
beforeAll(async () => {
  await seedDataset({ sql: api.db.sql, users: 2_000, weeks: 8, endWeek: END });
  await api.db.sql.exec('ANALYZE');
  const [admin] = await api.db.sql.query<{ id: number }>("SELECT id FROM users WHERE role = 'ADMIN' AND active ORDER BY id LIMIT 1");
  adminId = admin!.id;
});

async function plansOf(run: () => Promise<unknown>): Promise<string[]> {
  const events: { sql: string; params: string }[] = [];
  const stop = api.db.onQuery((e) => events.push(e));
  await run();
  stop();
  const plans: string[] = [];
  for (const e of events) {
    // A COPY's plan is its query's.
    const copied = /^COPY \(([\s\S]*)\) TO STDOUT/.exec(e.sql);
    if (copied) e.sql = copied[1]!;
    if (!/^\s*(SELECT|WITH)/i.test(e.sql) || /FROM "public"\."users" AS "t0" WHERE \("t0"\."id" = \$1/.test(e.sql)) continue;
    const rows = await api.db.sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${e.sql}`, JSON.parse(e.params) as unknown[]);
    plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  return plans;
}

it.each([
  ['dashboardStats', `{ dashboardStats(week: "${END}") { current { reportsSubmitted } byCity { key } } }`],
  ['dashboardStats by country', `{ dashboardStats(week: "${END}", filter: { country: "DE" }) { current { averageStress } } }`],
  ['countryAnalytics', `{ countryAnalytics(from: "2026-W13", to: "${END}") { country weeks { reportsSubmitted } } }`],
  ['stressAlerts', `{ stressAlerts(week: "${END}", first: 50) { totalCount edges { node { name } } } }`],
])('%s never scans weekly_reports sequentially', async (_name, query) => {
  api.actAs(adminId);
  const plans = await plansOf(async () => expectNoGraphQLErrors(await api.graphql(query)));
  expect(plans.length).toBeGreaterThan(0);
  for (const plan of plans) expect(plan, plan).not.toMatch(/Seq Scan on weekly_reports/);
});

it('the CSV export reads weekly_reports through its (week, id) index', async () => {
  const token = await api.tokenFor(adminId);
  const plans = await plansOf(async () => {
    const response = await api.yoga.fetch(`${ORIGIN}/export/weekly-reports.csv?from=2026-W19&to=2026-W20`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await response.text();
  });
  const reportPlans = plans.filter((p) => /weekly_reports/.test(p));
  expect(reportPlans.length).toBeGreaterThan(0);
  for (const plan of reportPlans) {
    expect(plan, plan).not.toMatch(/Seq Scan on weekly_reports/);
    expect(plan, plan).toMatch(/weekly_reports_week_id_idx|weekly_reports_pkey|weekly_reports_user_id_week_key/);
  }
});
