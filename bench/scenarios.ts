// The load scenarios (a)-(e): for each, the exact request every contender answers, which entry is ours
// and what each other entry is compared with, and how a response reduces to the data it carries so the
// harness can prove, before measuring, that every contender returns the same rows.
import { readFileSync } from 'node:fs';
import type { Dataset } from './dataset.js';
import type { HttpRequest } from './load.js';
import type { ContenderId } from './processes.js';

export type ScenarioId = 'a' | 'b' | 'c' | 'd' | 'e' | 'h' | 'i';

export interface Entry {
  id: string;
  label: string;
  contender: ContenderId;
  /** Sent in turn (one shared counter across connections). */
  requests: HttpRequest[];
  /** One of weekly-pulse's variants; the others are compared with one of these. */
  ours?: boolean;
  /** For another contender: the entry of ours it is compared with (default: the scenario's `main`). */
  against?: string;
  /** One request takes longer than a round: measured one request after another, in the first round only. */
  sequential?: boolean;
  /** Connections for this entry instead of the run's (1: the latency of a request on an idle server). */
  connections?: number;
  /** The data of a response, for the cross-check; undefined: not compared. */
  canonical?: (body: any) => unknown;
  /** Entries of one group must answer the same data (default: one group per scenario). */
  group?: string;
  /** Checked on every response under load (cheap): a GraphQL error inside HTTP 200 fails the sample. */
  verify?: (body: string) => boolean;
}

export interface LoadScenario {
  id: ScenarioId;
  title: string;
  /** Our entry that the others are compared with by default. */
  main: string;
  entries: Entry[];
  /** Why the scenario cannot run yet (shown instead of results). */
  pending?: string;
}

export interface ScenarioContext {
  dataset: Dataset;
  token: string;
  /** Cursors the GraphQL contenders issued for the deep page (asked for at start). */
  deepCursors: { wp: string; postgraphile: string };
  /** Key of the Redis value the limit's cache-hit endpoint serves (the dashboard response). */
  redisKey: string;
  persisted?: { hash: string; text: string; operationName: string } | string;
}

const noErrors = (body: string) => !body.includes('"errors"');

function graphql(query: string, variables: Record<string, unknown>, token?: string): HttpRequest {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  };
}

const get = (path: string): HttpRequest => ({ method: 'GET', path });

// --- (a) a users page: 5 fields of 50 users, by name ---------------------------------------------------

export const USERS_PAGE = `query UsersPage($first: Int!) { users(first: $first) {
  edges { node { id name email city country } } pageInfo { hasNextPage endCursor } } }`;
export const PG_USERS_PAGE = `query UsersPage($first: Int!) { users(first: $first, orderBy: [NAME_ASC, ROW_ID_ASC]) {
  edges { node { id name email city country } } pageInfo { hasNextPage endCursor } } }`;

const userRow = (u: any) => [u.name, u.email, u.city, u.country];
const usersPage = (b: any) => b.data.users.edges.map((e: any) => userRow(e.node));

// --- (b) a nested page: 20 users, their 4 latest reports with HR and ops metrics -------------------------

const METRIC_FIELDS = 'interviews offers hires attritions';
const OPS_FIELDS = 'ordersProcessed tasksCompleted incidents slaBreaches';
export const NESTED_PAGE = `query NestedPage($first: Int!) { users(first: $first) { edges { node { name
  reports(first: 4) { edges { node { week stressLevel hrMetrics { ${METRIC_FIELDS} } opsMetrics { ${OPS_FIELDS} } } } } } } } }`;
export const PG_NESTED_PAGE = `query NestedPage($first: Int!) { users(first: $first, orderBy: [NAME_ASC, ROW_ID_ASC]) { edges { node { name
  weeklyReports(first: 4, orderBy: [WEEK_DESC, ROW_ID_DESC]) { edges { node { week stressLevel
    hrMetricByReportId { ${METRIC_FIELDS} } opsMetricByReportId { ${OPS_FIELDS} } } } } } } } }`;

const metrics = (m: any) => (m ? Object.values(m) : null);
const reportRow = (r: any, hr: any, ops: any) => [r.week, r.stressLevel, metrics(hr), metrics(ops)];
const nestedPage = (b: any) =>
  b.data.users.edges.map((e: any) => [
    e.node.name,
    e.node.reports.edges.map((r: any) => reportRow(r.node, r.node.hrMetrics, r.node.opsMetrics)),
  ]);
const pgNestedPage = (b: any) =>
  b.data.users.edges.map((e: any) => [
    e.node.name,
    e.node.weeklyReports.edges.map((r: any) => reportRow(r.node, r.node.hrMetricByReportId, r.node.opsMetricByReportId)),
  ]);

// The old REST list answers every user with everything; the page the client shows is cut from it.
const withoutReportId = (m: any) => (m ? Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'reportId')) : null);
const byNameThenId = (a: any, b: any) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);
const restUsersPage = (all: any[]) => [...all].sort(byNameThenId).slice(0, 50).map(userRow);
const restNestedPage = (all: any[]) =>
  [...all]
    .sort(byNameThenId)
    .slice(0, 20)
    .map((u) => [
      u.name,
      [...u.reports]
        .sort((x: any, y: any) => (x.week < y.week ? 1 : x.week > y.week ? -1 : y.id - x.id))
        .slice(0, 4)
        .map((r: any) => reportRow(r, withoutReportId(r.hrMetrics), withoutReportId(r.opsMetrics))),
    ]);

// --- (c) a deep page (the 20 reports after the 41st from the end of ~1M) against page 1 ---------------

export const REPORTS_PAGE = `query ReportsPage($after: String) { weeklyReports(first: 20, after: $after) {
  edges { node { id week workdays stressLevel user { name } } } pageInfo { hasNextPage endCursor } } }`;
export const PG_REPORTS_PAGE = `query ReportsPage($after: Cursor) { weeklyReports(first: 20, after: $after, orderBy: [WEEK_DESC, ROW_ID_DESC]) {
  edges { node { id week workdays stressLevel user { name } } } pageInfo { hasNextPage endCursor } } }`;
/** The cursor a GraphQL contender issues 41 rows before the end (its own format, asked from the contender). */
export const WP_LAST_CURSOR = '{ weeklyReports(last: 41) { edges { cursor } } }';
export const PG_LAST_CURSOR = '{ weeklyReports(last: 41, orderBy: [WEEK_DESC, ROW_ID_DESC]) { edges { cursor } } }';

const reportsPage = (b: any) =>
  b.data.weeklyReports.edges.map((e: any) => [e.node.week, e.node.workdays, e.node.stressLevel, e.node.user.name]);
const offsetCursor = (index: number) => Buffer.from(`arrayconnection:${index}`).toString('base64');

// --- (d) dashboardStats(week): computed every time, and from the response cache ---------------------------

const FIGURES = `activeUsers reportsSubmitted submissionRate averageStress averageWorkdays stressDistribution
  hr { interviews offers hires attritions } ops { ordersProcessed tasksCompleted incidents slaBreaches }`;
export const DASHBOARD = `query Dashboard($week: IsoWeek!) { dashboardStats(week: $week) { week previousWeek
  current { ${FIGURES} } previous { ${FIGURES} }
  change { reportsSubmitted submissionRate averageStress averageWorkdays hires attritions incidents slaBreaches }
  byCountry { key figures { ${FIGURES} } } byCity { key figures { ${FIGURES} } } byRole { key figures { ${FIGURES} } } } }`;

const dashboard = (b: any) => [
  b.week,
  b.current.reportsSubmitted,
  b.current.averageStress,
  b.current.stressDistribution,
  b.byCountry.length,
];

/** The dashboard's own DashboardOverview document from the persisted manifest, if there is one. */
export function persistedDashboardDocument(manifestPath: URL): ScenarioContext['persisted'] {
  let manifest: Record<string, string>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
  } catch {
    return `no persisted operations manifest at ${manifestPath.pathname}`;
  }
  for (const [id, text] of Object.entries(manifest)) {
    if (/query DashboardOverview\b/.test(text)) return { hash: id.replace(/^sha256:/, ''), text, operationName: 'DashboardOverview' };
  }
  return 'the manifest has no DashboardOverview operation';
}

/** Scenario (a)'s page of `first` users as each contender is asked for it (also for (g)'s page sizes). */
export function usersPageRequest(contender: 'wp' | 'postgraphile' | 'naive' | 'limit', first: number, token: string): HttpRequest {
  if (contender === 'limit') return get(`/users?first=${first}`);
  return graphql(contender === 'postgraphile' ? PG_USERS_PAGE : USERS_PAGE, { first }, contender === 'wp' ? token : undefined);
}

/** Scenario (b)'s nested page of `first` users. */
export function nestedPageRequest(contender: 'wp' | 'postgraphile' | 'naive' | 'limit', first: number, token: string): HttpRequest {
  if (contender === 'limit') return get(`/nested?first=${first}&reports=4`);
  return graphql(contender === 'postgraphile' ? PG_NESTED_PAGE : NESTED_PAGE, { first }, contender === 'wp' ? token : undefined);
}

export function buildScenarios(ctx: ScenarioContext): LoadScenario[] {
  const { dataset, token } = ctx;
  const week = dataset.latestWeek;
  const auth = { authorization: `Bearer ${token}` };
  const wpUsers = (first: number) => usersPageRequest('wp', first, token);
  const wpNested = (first: number) => nestedPageRequest('wp', first, token);

  const a: LoadScenario = {
    id: 'a',
    title: '(a) users page: first 50, 5 fields',
    main: 'wp',
    entries: [
      { id: 'wp', label: 'weekly-pulse', contender: 'wp', ours: true, requests: [wpUsers(50)], canonical: usersPage, verify: noErrors },
      {
        id: 'wp-memory',
        label: 'weekly-pulse, cache hit (memory)',
        contender: 'wp-memory',
        ours: true,
        requests: [wpUsers(50)],
        canonical: usersPage,
        verify: noErrors,
      },
      {
        id: 'wp-redis',
        label: 'weekly-pulse, cache hit (Redis)',
        contender: 'wp-redis',
        ours: true,
        requests: [wpUsers(50)],
        canonical: usersPage,
        verify: noErrors,
      },
      {
        id: 'postgraphile',
        label: 'PostGraphile 5',
        contender: 'postgraphile',
        requests: [usersPageRequest('postgraphile', 50, token)],
        canonical: usersPage,
        verify: noErrors,
      },
      {
        id: 'naive',
        label: 'naive GraphQL (N+1, OFFSET)',
        contender: 'naive',
        requests: [usersPageRequest('naive', 50, token)],
        canonical: usersPage,
        verify: noErrors,
      },
      {
        id: 'rest-old',
        label: 'old REST: all users with includes',
        contender: 'rest-old',
        sequential: true,
        requests: [get('/api/users')],
        canonical: restUsersPage,
      },
      {
        id: 'limit',
        label: 'limit: node:http + pg json_agg',
        contender: 'limit',
        requests: [usersPageRequest('limit', 50, token)],
        canonical: usersPage,
      },
    ],
  };

  const b: LoadScenario = {
    id: 'b',
    title: '(b) nested page: 20 users x 4 reports with HR and ops metrics',
    main: 'wp',
    entries: [
      { id: 'wp', label: 'weekly-pulse', contender: 'wp', ours: true, requests: [wpNested(20)], canonical: nestedPage, verify: noErrors },
      {
        id: 'wp-memory',
        label: 'weekly-pulse, cache hit (memory)',
        contender: 'wp-memory',
        ours: true,
        requests: [wpNested(20)],
        canonical: nestedPage,
        verify: noErrors,
      },
      {
        id: 'wp-redis',
        label: 'weekly-pulse, cache hit (Redis)',
        contender: 'wp-redis',
        ours: true,
        requests: [wpNested(20)],
        canonical: nestedPage,
        verify: noErrors,
      },
      {
        id: 'postgraphile',
        label: 'PostGraphile 5',
        contender: 'postgraphile',
        requests: [nestedPageRequest('postgraphile', 20, token)],
        canonical: pgNestedPage,
        verify: noErrors,
      },
      {
        id: 'naive',
        label: 'naive GraphQL (N+1, OFFSET)',
        contender: 'naive',
        requests: [nestedPageRequest('naive', 20, token)],
        canonical: nestedPage,
        verify: noErrors,
      },
      {
        id: 'rest-old',
        label: 'old REST: all users with includes',
        contender: 'rest-old',
        sequential: true,
        requests: [get('/api/users')],
        canonical: restNestedPage,
      },
      {
        id: 'limit',
        label: 'limit: node:http + pg json_agg',
        contender: 'limit',
        requests: [nestedPageRequest('limit', 20, token)],
        canonical: nestedPage,
      },
    ],
  };

  const anchor = dataset.deepAnchor;
  const c: LoadScenario = {
    id: 'c',
    title: `(c) deep page: 20 reports after the ${(anchor.index + 1).toLocaleString('en')}th of ${dataset.reports.toLocaleString('en')}, against page 1`,
    main: 'wp-deep',
    entries: [
      {
        id: 'wp-first',
        group: 'first',
        label: 'weekly-pulse, page 1',
        contender: 'wp',
        ours: true,
        requests: [graphql(REPORTS_PAGE, { after: null }, token)],
        canonical: reportsPage,
        verify: noErrors,
      },
      {
        id: 'wp-deep',
        group: 'deep',
        label: 'weekly-pulse, deep page',
        contender: 'wp',
        ours: true,
        requests: [graphql(REPORTS_PAGE, { after: ctx.deepCursors.wp }, token)],
        canonical: reportsPage,
        verify: noErrors,
      },
      {
        id: 'postgraphile-first',
        group: 'first',
        label: 'PostGraphile 5, page 1',
        contender: 'postgraphile',
        against: 'wp-first',
        requests: [graphql(PG_REPORTS_PAGE, { after: null })],
        canonical: reportsPage,
        verify: noErrors,
      },
      {
        id: 'postgraphile-deep',
        group: 'deep',
        label: 'PostGraphile 5, deep page',
        contender: 'postgraphile',
        requests: [graphql(PG_REPORTS_PAGE, { after: ctx.deepCursors.postgraphile })],
        canonical: reportsPage,
        verify: noErrors,
      },
      {
        id: 'naive-first',
        group: 'first',
        label: 'naive GraphQL, page 1',
        contender: 'naive',
        against: 'wp-first',
        requests: [graphql(REPORTS_PAGE, { after: null })],
        canonical: reportsPage,
        verify: noErrors,
      },
      {
        id: 'naive-deep',
        group: 'deep',
        label: 'naive GraphQL, deep page (OFFSET)',
        contender: 'naive',
        requests: [graphql(REPORTS_PAGE, { after: offsetCursor(anchor.index) })],
        canonical: reportsPage,
        verify: noErrors,
      },
      {
        id: 'limit-first',
        group: 'first',
        label: 'limit, page 1',
        contender: 'limit',
        against: 'wp-first',
        requests: [get('/reports?first=20')],
        canonical: reportsPage,
      },
      {
        id: 'limit-deep',
        group: 'deep',
        label: 'limit, deep page (keyset)',
        contender: 'limit',
        requests: [get(`/reports?first=20&week=${anchor.week}&id=${anchor.id}`)],
        canonical: reportsPage,
      },
    ],
  };

  // Uncached requests go round every week, so no two concurrent requests share a key (no single flight).
  const uncached = dataset.weekList.map((w) => graphql(DASHBOARD, { week: w }, token));
  const cached = graphql(DASHBOARD, { week }, token);
  const d: LoadScenario = {
    id: 'd',
    title: `(d) dashboardStats(week): computed (every week in turn) and from the response cache (${week})`,
    main: 'wp',
    entries: [
      { id: 'wp', label: 'weekly-pulse, computed', contender: 'wp', ours: true, requests: uncached, verify: noErrors },
      {
        id: 'wp-alone',
        label: 'weekly-pulse, computed, one request at a time',
        contender: 'wp',
        ours: true,
        connections: 1,
        requests: uncached,
        verify: noErrors,
      },
      {
        id: 'wp-memory',
        label: 'weekly-pulse, cache hit (memory)',
        contender: 'wp-memory',
        ours: true,
        requests: [cached],
        canonical: (x) => dashboard(x.data.dashboardStats),
        verify: noErrors,
      },
      {
        id: 'wp-redis',
        label: 'weekly-pulse, cache hit (Redis)',
        contender: 'wp-redis',
        ours: true,
        requests: [cached],
        canonical: (x) => dashboard(x.data.dashboardStats),
        verify: noErrors,
      },
      {
        id: 'limit-redis',
        label: 'limit: node:http + Redis GET',
        contender: 'limit',
        against: 'wp-redis',
        requests: [get(`/redis?key=${encodeURIComponent(ctx.redisKey)}`)],
        canonical: (x) => dashboard(x.data.dashboardStats),
      },
      {
        id: 'rest-old',
        label: 'old REST: findMany + include, summed in JS',
        contender: 'rest-old',
        sequential: true,
        requests: [get(`/api/dashboard-stats?week=${week}`)],
        canonical: dashboard,
      },
    ],
  };

  const persisted = ctx.persisted;
  const variables = JSON.stringify({ week });
  const e: LoadScenario =
    typeof persisted === 'object' && persisted
      ? {
          id: 'e',
          title: "(e) the dashboard's DashboardOverview: persisted hash over GET against full text over POST (response cache in memory)",
          main: 'persisted',
          entries: [
            {
              id: 'persisted',
              label: 'persisted id, GET',
              contender: 'wp-memory',
              ours: true,
              requests: [
                {
                  method: 'GET',
                  path: `/graphql?operationName=${persisted.operationName}&variables=${encodeURIComponent(variables)}&extensions=${encodeURIComponent(
                    JSON.stringify({ persistedQuery: { version: 1, sha256Hash: persisted.hash } }),
                  )}`,
                  // Yoga's CSRF prevention wants a non-simple header on GET; Apollo's link sends this one.
                  headers: { ...auth, 'apollo-require-preflight': 'true' },
                },
              ],
              canonical: (x) => dashboard(x.data.dashboardStats),
              verify: noErrors,
            },
            {
              id: 'text',
              label: 'full text, POST',
              contender: 'wp-memory',
              ours: true,
              requests: [graphql(persisted.text, { week }, token)],
              canonical: (x) => dashboard(x.data.dashboardStats),
              verify: noErrors,
            },
          ],
        }
      : {
          id: 'e',
          title: '(e) persisted hash over GET against full text over POST',
          main: 'persisted',
          entries: [],
          pending: persisted ?? 'no manifest',
        };

  // (h) what the pipeline costs before any resolver runs: an authenticated `{ __typename }` as deployed
  // (uncached, so the viewer lookup runs) against bare Yoga and a node:http server that reads the body.
  const typename = (contender: 'wp' | 'bare-yoga') => graphql('{ __typename }', {}, contender === 'wp' ? token : undefined);
  const h: LoadScenario = {
    id: 'h',
    title: '(h) pipeline overhead: an authenticated `{ __typename }` against bare Yoga and node:http',
    main: 'wp',
    entries: [
      {
        id: 'wp',
        label: 'weekly-pulse (authenticated)',
        contender: 'wp',
        ours: true,
        requests: [typename('wp')],
        canonical: (x) => x.data,
        verify: noErrors,
      },
      {
        id: 'bare-yoga',
        label: 'bare Yoga, same version',
        contender: 'bare-yoga',
        requests: [typename('bare-yoga')],
        canonical: (x) => x.data,
        verify: noErrors,
      },
      {
        id: 'limit',
        label: 'limit: node:http, body read',
        contender: 'limit',
        requests: [
          { method: 'POST', path: '/typename', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' },
        ],
        canonical: (x) => x.data,
        verify: noErrors,
      },
    ],
  };

  // (i) reads on a streaming replica against the primary alone: the users page (a) and the computed
  // dashboard (d), both uncached, on one private primary (the same dataset) and its replica.
  const users = graphql(USERS_PAGE, { first: 50 }, token);
  const i: LoadScenario = {
    id: 'i',
    title: '(i) reads on one streaming replica against the primary alone (same machine): (a) users page and (d) computed dashboard',
    main: 'replica-a',
    entries: [
      {
        id: 'replica-a',
        group: 'a',
        label: '(a) reads on the replica',
        contender: 'wp-replica',
        ours: true,
        requests: [users],
        canonical: usersPage,
        verify: noErrors,
      },
      {
        id: 'primary-a',
        group: 'a',
        label: '(a) primary alone',
        contender: 'wp-primary',
        against: 'replica-a',
        requests: [users],
        canonical: usersPage,
        verify: noErrors,
      },
      {
        id: 'replica-d',
        group: 'd',
        label: '(d) reads on the replica',
        contender: 'wp-replica',
        ours: true,
        requests: uncached,
        verify: noErrors,
      },
      {
        id: 'primary-d',
        group: 'd',
        label: '(d) primary alone',
        contender: 'wp-primary',
        against: 'replica-d',
        requests: uncached,
        verify: noErrors,
      },
    ],
  };

  return [a, b, c, d, e, h, i];
}
