// The dashboard's real client: Apollo Client (core, no React) built by operations/apollo-client.ts, over
// HTTP to a running server that enforces persisted documents. Pages through every user with fetchMore,
// submits a report as an employee and sees it in a refetch of the overview; an analyst's ad-hoc query
// is registered the APQ way and then sent by hash alone.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gql, type ObservableQuery, type OperationVariables } from '@apollo/client';
import { filter, firstValueFrom, map, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardClient } from '../../operations/apollo-client.js';
import {
  type DashboardOverviewQuery,
  type UserDetailQuery,
  type UsersPageQuery,
  DashboardOverviewDocument,
  GenerateWeeklyReportDocument,
  SubmitWeeklyReportDocument,
  UserDetailDocument,
  UsersPageDocument,
} from '../../operations/generated/graphql.js';
import { ORIGIN, startTestApi, type TestApi } from '../kit/api.js';
import { TEAM_END_WEEK } from '../kit/scenarios.js';
import { globalId } from '../kit/global-id.js';
import { setupTestDatabase } from '../kit/setup-test-api.js';
import { addWeeks } from '../../src/domain/iso-week.js';

const { db, team } = setupTestDatabase({ team: { users: 60, weeks: 6 } });

/** Serves a test API over real HTTP and records what each request carried. */
async function serve(api: TestApi) {
  const sent: { query: boolean; hash: boolean }[] = [];
  const http: HttpServer = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const parsed = body ? (JSON.parse(body) as { query?: string; extensions?: { persistedQuery?: unknown } }) : {};
      sent.push({ query: typeof parsed.query === 'string', hash: parsed.extensions?.persistedQuery !== undefined });
      const headers = Object.fromEntries(
        ['authorization', 'content-type', 'accept'].flatMap((name) => (req.headers[name] ? [[name, String(req.headers[name])]] : [])),
      );
      void Promise.resolve(api.yoga.fetch(`${ORIGIN}${req.url}`, { method: req.method, headers, body: body || undefined })).then(
        async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(await response.text());
        },
      );
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const uri = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
  const close = () => {
    http.closeAllConnections(); // the client's keep-alive connections
    return new Promise<void>((resolve) => http.close(() => resolve()));
  };
  return { uri, sent, close };
}

/**
 * The next complete data a watched query emits that satisfies `ready` (as a component would re-render):
 * fetchMore's merged list arrives just after its promise resolves. Call it before triggering the change.
 */
function emitted<TData, TVariables extends OperationVariables>(
  query: ObservableQuery<TData, TVariables>,
  ready: (data: TData) => boolean = () => true,
): Promise<TData> {
  return firstValueFrom(
    query.pipe(
      map((result) => {
        if (result.error) throw result.error;
        return result;
      }),
      filter((result) => result.dataState === 'complete' && ready(result.data as TData)),
      map((result) => result.data as TData),
      timeout({ first: 15_000 }),
    ),
  );
}

describe('the dashboard client under PERSISTED_OPERATIONS=enforce', () => {
  let api: TestApi;
  let server: Awaited<ReturnType<typeof serve>>;
  const clientAs = (userId: number) => createDashboardClient({ uri: server.uri, getToken: () => api.tokenFor(userId) });

  beforeAll(async () => {
    api = await startTestApi({ db, persistedOperations: { policy: 'enforce' } });
    server = await serve(api);
  });
  afterAll(async () => {
    await server?.close();
    await api?.close();
  });

  it('pages through every user with fetchMore, none missing or repeated, by hash alone', async () => {
    const manager = team.userIds[10]!; // a MANAGER: may not send GraphQL text under enforce
    const client = clientAs(manager);
    const pages = client.watchQuery({ query: UsersPageDocument, variables: { first: 7 } });
    const subscription = pages.subscribe(() => {});
    try {
      let users: UsersPageQuery['users'] = (await emitted(pages)).users;
      let fetches = 1;
      while (users.pageInfo.hasNextPage) {
        const seen = users.edges.length;
        const merged = emitted(pages, (data) => data.users.edges.length > seen);
        await pages.fetchMore({ variables: { after: users.pageInfo.endCursor } });
        users = (await merged).users;
        fetches++;
      }
      const ids = users.edges.map((edge) => edge.node.id);
      const expected = await db.sql.query<{ id: number }>('SELECT id FROM users');
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(expected.map((row) => globalId('User', row.id))));
      expect(users.totalCount).toBe(expected.length);
      expect(fetches).toBe(Math.ceil(expected.length / 7));
    } finally {
      subscription.unsubscribe();
    }
    // Every request named a persisted document and none carried text: the link and the server agree on hashes.
    expect(server.sent.length).toBeGreaterThan(0);
    expect(server.sent.every((r) => r.hash && !r.query)).toBe(true);
  });

  it('reads a user with a page of their reports, then the next page of them', async () => {
    const employee = team.userIds[12]!;
    const client = clientAs(employee);
    const detail = client.watchQuery({ query: UserDetailDocument, variables: { id: globalId('User', employee), reportsFirst: 2 } });
    const subscription = detail.subscribe(() => {});
    try {
      const reportsOf = (data: UserDetailQuery) => {
        if (data.node?.__typename !== 'User') throw new Error(`expected a User, got ${JSON.stringify(data.node)}`);
        expect(data.node.email).toBe('user012@example.com');
        return data.node.reports;
      };
      const firstPage = reportsOf(await emitted(detail));
      expect(firstPage.edges).toHaveLength(2);
      const merged = emitted(detail, (data) => reportsOf(data).edges.length > 2);
      await detail.fetchMore({ variables: { reportsAfter: firstPage.pageInfo.endCursor } });
      const reports = reportsOf(await merged);
      expect(reports.edges).toHaveLength(Math.min(4, reports.totalCount));
      const weeks = reports.edges.map((edge) => edge.node.week);
      expect(weeks).toEqual([...weeks].sort().reverse());
    } finally {
      subscription.unsubscribe();
    }
  });

  it('submits a report as an employee, and the overview shows it on refetch', async () => {
    const employee = team.userIds[12]!;
    const manager = team.userIds[10]!;
    // Employee index 12 has no report for the third of the six weeks (the scenario leaves gaps).
    const week = addWeeks(TEAM_END_WEEK, -3);
    const missing = await db.sql.query('SELECT 1 FROM weekly_reports WHERE user_id = $1 AND week = $2', [employee, week]);
    expect(missing).toHaveLength(0);

    const dashboard = clientAs(manager);
    const overview = dashboard.watchQuery({ query: DashboardOverviewDocument, variables: { week } });
    const subscription = overview.subscribe(() => {});
    try {
      const before = (await emitted(overview)).dashboardStats.current.reportsSubmitted;

      const submitted = await clientAs(employee).mutate({
        mutation: SubmitWeeklyReportDocument,
        variables: { input: { week, workdays: 4, stressLevel: 6, highlights: 'Shipped the persisted dashboard' } },
      });
      expect(submitted.error).toBeUndefined();
      expect(submitted.data?.submitWeeklyReport.report.week).toBe(week);

      const after = await overview.refetch();
      expect((after.data as DashboardOverviewQuery).dashboardStats.current.reportsSubmitted).toBe(before + 1);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('lets an ADMIN trigger the weekly summary, which the overview then shows as the latest', async () => {
    const week = addWeeks(TEAM_END_WEEK, -1);
    const admin = createDashboardClient({ uri: server.uri, getToken: () => api.tokenFor(team.adminId) });
    const triggered = await admin.mutate({ mutation: GenerateWeeklyReportDocument, variables: { week } });
    expect(triggered.error).toBeUndefined();
    expect(triggered.data?.generateWeeklyReport.summary.week).toBe(week);
    await api.worker.idle();
    const overview = await admin.query({ query: DashboardOverviewDocument, variables: { week }, fetchPolicy: 'network-only' });
    const latest = overview.data?.weeklySummaries.edges[0]?.node;
    expect(latest).toMatchObject({ week, status: 'SUCCEEDED' });
  });

  it('refuses an ad-hoc query from an employee: the hash is unknown and the text is not allowed', async () => {
    const client = clientAs(team.userIds[12]!);
    const adHoc = gql`
      query EmployeeAdHoc {
        me {
          id
          name
        }
      }
    `;
    const result = await client.query({ query: adHoc, fetchPolicy: 'network-only' }).catch((error: unknown) => ({ error }));
    expect(JSON.stringify(result.error)).toContain('PERSISTED_QUERY_ONLY');
  });
});

describe('an analyst under PERSISTED_OPERATIONS=apq', () => {
  let api: TestApi;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    api = await startTestApi({ db, persistedOperations: { policy: 'apq' } });
    server = await serve(api);
  });
  afterAll(async () => {
    await server?.close();
    await api?.close();
  });

  it('registers an ad-hoc query on first use (hash, then hash + text), then sends the hash alone', async () => {
    const analyst = team.userIds[5]!; // index 5: an ANALYST in the scenario
    const client = createDashboardClient({ uri: server.uri, getToken: () => api.tokenFor(analyst) });
    const adHoc = gql`
      query AnalystAdHoc {
        users(first: 1) {
          totalCount
        }
      }
    `;
    const first = await client.query({ query: adHoc, fetchPolicy: 'network-only' });
    expect(first.data).toMatchObject({ users: { totalCount: team.userIds.length } });
    expect(server.sent).toEqual([
      { query: false, hash: true },
      { query: true, hash: true },
    ]);
    const again = await client.query({ query: adHoc, fetchPolicy: 'network-only' });
    expect(again.data).toEqual(first.data);
    expect(server.sent[2]).toEqual({ query: false, hash: true });
  });
});
