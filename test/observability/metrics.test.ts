// Prometheus metrics at GET /metrics: who may read them, and that operations, errors, cache lookups, SQL
// statements, summary runs and lock waits are counted as they happen.
import { createYoga } from 'graphql-yoga';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/infra/metrics.js';
import { schema } from '../../src/schema/index.js';
import { useMetrics } from '../../src/server/use-metrics.js';
import { expectErrorCode, expectNoGraphQLErrors, ORIGIN, startTestApi, type TestApi } from '../kit/api.js';
import { testDatabaseMode } from '../kit/database.js';
import { TEAM_END_WEEK } from '../kit/scenarios.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdefghijklmnop';

const { api, team, viewers } = setupTestApi({ metricsToken: METRICS_TOKEN, responseCache: {}, team: { users: 12, weeks: 2 } });

async function scrape(server: { fetch: TestApi['yoga']['fetch'] } = api.yoga): Promise<string> {
  const response = await server.fetch(`${ORIGIN}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample in Prometheus text format (0 when absent); labels must match exactly. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const same = Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v);
    if (same) return Number(match[3]);
  }
  return 0;
}

/** How much each named sample grows while `fn` runs. */
async function growth(samples: [name: string, labels?: Record<string, string>][], fn: () => Promise<unknown>): Promise<number[]> {
  const before = await scrape();
  await fn();
  const after = await scrape();
  return samples.map(([name, labels]) => sample(after, name, labels) - sample(before, name, labels));
}

describe('GET /metrics', () => {
  it('needs the bearer METRICS_TOKEN when one is set', async () => {
    expect((await api.yoga.fetch(`${ORIGIN}/metrics`)).status).toBe(401);
    const wrong = await api.yoga.fetch(`${ORIGIN}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('graphql_');
    const right = await api.yoga.fetch(`${ORIGIN}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await right.text()).toMatch(/# TYPE graphql_operation_duration_seconds histogram/);
  });

  it('without a token is open in development and not served in production', async () => {
    const served = (production: boolean, token?: string) =>
      createYoga({ schema, plugins: [useMetrics({ metrics: createMetrics(), db: api.db, production, token })] });
    expect((await served(false).fetch(`${ORIGIN}/metrics`)).status).toBe(200);
    expect((await served(true).fetch(`${ORIGIN}/metrics`)).status).toBe(404);
    const withToken = await served(true, METRICS_TOKEN).fetch(`${ORIGIN}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(withToken.status).toBe(200);
  });
});

describe('what is counted', () => {
  it('operation durations by operation name; unnamed and failed unknown names as "anonymous"', async () => {
    api.actAs(team.adminId);
    const [named, anonymous, junk] = await growth(
      [
        ['graphql_operation_duration_seconds_count', { operation: 'MetricsTeamPage' }],
        ['graphql_operation_duration_seconds_count', { operation: 'anonymous' }],
        ['graphql_operation_duration_seconds_count', { operation: 'NoSuchThing' }],
      ],
      async () => {
        expectNoGraphQLErrors(await api.graphql('query MetricsTeamPage { users(first: 2) { totalCount } }'));
        expectNoGraphQLErrors(await api.graphql('query MetricsTeamPage { users(first: 3) { totalCount } }'));
        expectNoGraphQLErrors(await api.graphql('{ users(first: 1) { totalCount } }'));
        // Fails validation: its name must not become a label.
        expectErrorCode(await api.graphql('query NoSuchThing { nope }'), 'GRAPHQL_VALIDATION_FAILED');
      },
    );
    expect([named, anonymous, junk]).toEqual([2, 2, 0]);
    expect(await scrape()).not.toContain('NoSuchThing');
  });

  it('keeps at most the first N operation names as labels, then "other"', () => {
    const metrics = createMetrics({ maxOperationNames: 2 });
    expect(['A', 'B', 'C', 'A', 'B', null].map((n) => metrics.operationLabel(n))).toEqual(['A', 'B', 'other', 'A', 'B', 'anonymous']);
    expect(metrics.operationLabel('D', false)).toBe('anonymous');
  });

  it('errors by extensions.code', async () => {
    const codes = ['UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT'];
    const counts = await growth(
      codes.map((code) => ['graphql_errors_total', { code }]),
      async () => {
        api.actAs(null);
        expectErrorCode(await api.graphql('{ users { totalCount } }'), 'UNAUTHENTICATED');
        api.actAs(team.adminId);
        expectErrorCode(await api.graphql('{ nope }'), 'GRAPHQL_VALIDATION_FAILED');
        expectErrorCode(await api.graphql('{ users(first: -1) { totalCount } }'), 'BAD_USER_INPUT');
        expectErrorCode(await api.graphql('{ users(first: -2) { totalCount } }'), 'BAD_USER_INPUT');
      },
    );
    expect(counts).toEqual([1, 1, 2]);
  });

  it('response cache and aggregate cache hits and misses', async () => {
    const stats = `query MetricsDashboard { dashboardStats(week: "${TEAM_END_WEEK}") { week } }`;
    const counts = await growth(
      [
        ['cache_lookups_total', { cache: 'response', result: 'miss' }],
        ['cache_lookups_total', { cache: 'response', result: 'hit' }],
        ['cache_lookups_total', { cache: 'aggregate', result: 'miss' }],
        ['cache_lookups_total', { cache: 'aggregate', result: 'hit' }],
      ],
      async () => {
        api.actAs(team.adminId);
        expectNoGraphQLErrors(await api.graphql(stats)); // response miss, aggregate miss
        expectNoGraphQLErrors(await api.graphql(stats)); // response hit
        api.actAs(viewers.analyst);
        expectNoGraphQLErrors(await api.graphql(stats)); // response miss (another viewer), aggregate hit
      },
    );
    expect(counts).toEqual([2, 1, 1, 1]);
  });

  it('SQL statements per request, as the database ran them', async () => {
    api.actAs(team.adminId);
    let statements = 0;
    const [requests, sum] = await growth([['graphql_request_sql_statements_count'], ['graphql_request_sql_statements_sum']], async () => {
      const stop = api.db.onQuery(() => statements++);
      try {
        expectNoGraphQLErrors(await api.graphql('query MetricsSql { users(first: 5) { totalCount edges { node { name } } } }'));
      } finally {
        stop();
      }
    });
    expect(requests).toBe(1);
    // The page and its count (the viewer lookup too, unless the viewer cache served it).
    expect(statements).toBeGreaterThanOrEqual(2);
    expect(sum).toBe(statements);
  });

  it('weekly summary runs by outcome, failures included', async () => {
    const failing = await startTestApi({
      db: api.db,
      metricsToken: METRICS_TOKEN,
      reports: { writer: { write: () => Promise.reject(new Error('writer down')) } },
    });
    try {
      const generate =
        'mutation($week: IsoWeek, $force: Boolean) { generateWeeklyReport(week: $week, force: $force) { summary { status } } }';
      failing.actAs('service');
      expectNoGraphQLErrors(await failing.graphql(generate, { week: '2026-W40' }));
      await failing.worker.idle();
      expect(sample(await scrape(failing.yoga), 'weekly_summary_runs_total', { outcome: 'failed' })).toBe(1);

      const [done, failed] = await growth(
        [
          ['weekly_summary_runs_total', { outcome: 'done' }],
          ['weekly_summary_runs_total', { outcome: 'failed' }],
        ],
        async () => {
          api.actAs('service');
          expectNoGraphQLErrors(await api.graphql(generate, { week: '2026-W41' }));
          await api.worker.idle();
        },
      );
      expect([done, failed]).toEqual([1, 0]);
    } finally {
      await failing.close();
    }
  });

  it('lock statements: every report submit takes the week slot advisory lock', async () => {
    api.actAs(team.userIds[2]!);
    const [locks] = await growth([['lock_wait_seconds_count', { lock: 'advisory' }]], async () => {
      expectNoGraphQLErrors(await api.graphql(SUBMIT, { i: { week: '2026-W30', workdays: 4, stressLevel: 2, highlights: 'metrics' } }));
    });
    expect(locks).toBe(1);
  });

  it.runIf(testDatabaseMode() === 'postgres')('lock waits: time a submit spends waiting for the week slot held elsewhere', async () => {
    const userId = team.userIds[4]!;
    const week = '2026-W31';
    const holder = new pg.Client({ connectionString: api.db.url });
    await holder.connect();
    try {
      // The same lock key submitWeeklyReport takes, held by another session for ~600 ms.
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', [`weekly-report:${userId}:${week}`]);
      api.actAs(userId);
      const [count, seconds] = await growth(
        [
          ['lock_wait_seconds_count', { lock: 'advisory' }],
          ['lock_wait_seconds_sum', { lock: 'advisory' }],
        ],
        async () => {
          const submitted = api.graphql(SUBMIT, { i: { week, workdays: 5, stressLevel: 3, highlights: 'waited' } });
          await new Promise((resolve) => setTimeout(resolve, 600));
          await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [`weekly-report:${userId}:${week}`]);
          expectNoGraphQLErrors(await submitted);
        },
      );
      expect(count).toBe(1);
      expect(seconds).toBeGreaterThan(0.4);
    } finally {
      await holder.end();
    }
  });
});

const SUBMIT = 'mutation($i: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $i) { report { week } } }';
