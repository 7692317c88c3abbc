// Relay connections page through exactly the rows independent SQL says they should, in both directions,
// for every ordering and filter the API offers.
import type { ResultOf } from '@graphql-typed-document-node/core';
import { describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors, type GraphQLResponse } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { globalId } from '../kit/global-id.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api, team } = setupTestApi({ actAs: 'admin' });

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

/** Pages through a connection `pageSize` at a time, forwards or backwards, and returns the node ids. */
async function walk(field: string, args: string, pageSize: number, backward = false): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const paging: string = backward
      ? `last: ${pageSize}${cursor ? `, before: "${cursor}"` : ''}`
      : `first: ${pageSize}${cursor ? `, after: "${cursor}"` : ''}`;
    const query: string = `{ ${field}(${paging}${args ? `, ${args}` : ''}) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`;
    const response: GraphQLResponse<Record<string, Page>> = await api.graphql<Record<string, Page>>(query);
    expectNoGraphQLErrors(response, query);
    const page = response.data[field]!;
    const pageIds = page.edges.map((e) => e.node.id);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    if (backward) {
      ids.unshift(...pageIds);
      if (!page.pageInfo.hasPreviousPage) return ids;
      cursor = page.pageInfo.startCursor;
    } else {
      ids.push(...pageIds);
      if (!page.pageInfo.hasNextPage) return ids;
      cursor = page.pageInfo.endCursor;
    }
  }
  throw new Error('pagination did not terminate');
}

async function sqlIds(type: string, sql: string, params: unknown[] = []): Promise<string[]> {
  const rows = await api.db.sql.query<{ id: number }>(sql, params);
  return rows.map((r) => globalId(type, r.id));
}

describe('users', () => {
  it('pages forwards and backwards by name with the id tie-breaker', async () => {
    const expected = await sqlIds('User', 'SELECT id FROM users ORDER BY name, id');
    expect(expected).toHaveLength(team.userIds.length);
    expect(await walk('users', '', 7)).toEqual(expected);
    expect(await walk('users', '', 7, true)).toEqual(expected);
  });

  it('orders by name descending and by creation time in both directions', async () => {
    expect(await walk('users', 'orderBy: { field: NAME, direction: DESC }', 9)).toEqual(
      await sqlIds('User', 'SELECT id FROM users ORDER BY name DESC, id DESC'),
    );
    expect(await walk('users', 'orderBy: { field: CREATED_AT, direction: DESC }', 11)).toEqual(
      await sqlIds('User', 'SELECT id FROM users ORDER BY created_at DESC, id DESC'),
    );
    expect(await walk('users', 'orderBy: { field: CREATED_AT }', 13, true)).toEqual(
      await sqlIds('User', 'SELECT id FROM users ORDER BY created_at, id'),
    );
  });

  it('filters by city, country, role and text search, with exact totalCount', async () => {
    const cases: [string, string, unknown[]][] = [
      ['filter: { city: "Paris" }', "SELECT id FROM users WHERE city = 'Paris' ORDER BY name, id", []],
      ['filter: { country: "de" }', "SELECT id FROM users WHERE country = 'DE' ORDER BY name, id", []],
      ['filter: { role: MANAGER }', "SELECT id FROM users WHERE role = 'MANAGER' ORDER BY name, id", []],
      ['filter: { search: "USER01" }', "SELECT id FROM users WHERE name ILIKE '%user01%' OR email ILIKE '%user01%' ORDER BY name, id", []],
      ['filter: { search: "son c" }', "SELECT id FROM users WHERE name ILIKE '%son c%' ORDER BY name, id", []],
      [
        'filter: { country: "FR", role: EMPLOYEE }',
        "SELECT id FROM users WHERE country = 'FR' AND role = 'EMPLOYEE' ORDER BY name, id",
        [],
      ],
    ];
    for (const [args, sql, params] of cases) {
      const expected = await sqlIds('User', sql, params);
      expect(expected.length, args).toBeGreaterThan(0);
      expect(await walk('users', args, 4), args).toEqual(expected);
      const response = await api.graphql<{ users: { totalCount: number } }>(`{ users(first: 1, ${args}) { totalCount } }`);
      expectNoGraphQLErrors(response);
      expect(response.data.users.totalCount, args).toBe(expected.length);
    }
  });

  it('treats LIKE wildcards in a search literally', async () => {
    const literal = await api.db.prisma.user.create({
      data: { email: 'odd@example.com', name: 'Ms 100% Under_score', city: 'Rome', country: 'IT' },
    });
    try {
      for (const term of ['0%', 'r_s']) {
        const response = await api.graphql<{ users: { totalCount: number; edges: { node: { id: string } }[] } }>(
          `{ users(filter: { search: "${term}" }) { totalCount edges { node { id } } } }`,
        );
        expectNoGraphQLErrors(response);
        expect(response.data.users.edges, term).toEqual([{ node: { id: globalId('User', literal.id) } }]);
      }
    } finally {
      await api.db.prisma.user.delete({ where: { id: literal.id } });
    }
  });

  it('answers first: 0 with an empty page', async () => {
    const response = await api.graphql(
      graphql(`query PaginationFirstZero { users(first: 0) { edges { cursor } pageInfo { hasNextPage } } }`),
    );
    expectNoGraphQLErrors(response);
    expect(response.data.users.edges).toEqual([]);
  });

  it('uses the default page size of 20', async () => {
    const response = await api.graphql(graphql(`query PaginationDefaultSize { users { edges { cursor } pageInfo { hasNextPage } } }`));
    expectNoGraphQLErrors(response);
    expect(response.data.users.edges).toHaveLength(20);
    expect(response.data.users.pageInfo.hasNextPage).toBe(true);
  });
});

describe('weeklyReports', () => {
  it('pages newest week first and filters by week range, user, city and country', async () => {
    const [from, to] = [team.weeks[1]!, team.weeks[3]!];
    const userId = team.userIds[12]!;
    const cases: [string, string, unknown[]][] = [
      ['', 'SELECT id FROM weekly_reports ORDER BY week DESC, id DESC', []],
      [
        `filter: { weekFrom: "${from}", weekTo: "${to}" }`,
        'SELECT id FROM weekly_reports WHERE week BETWEEN $1 AND $2 ORDER BY week DESC, id DESC',
        [from, to],
      ],
      [
        `filter: { userId: "${globalId('User', userId)}" }`,
        'SELECT id FROM weekly_reports WHERE user_id = $1 ORDER BY week DESC, id DESC',
        [userId],
      ],
      [
        `filter: { city: "Lyon", weekTo: "${to}" }`,
        "SELECT r.id FROM weekly_reports r JOIN users u ON u.id = r.user_id WHERE u.city = 'Lyon' AND r.week <= $1 ORDER BY r.week DESC, r.id DESC",
        [to],
      ],
      [
        'filter: { country: "PT" }',
        "SELECT r.id FROM weekly_reports r JOIN users u ON u.id = r.user_id WHERE u.country = 'PT' ORDER BY r.week DESC, r.id DESC",
        [],
      ],
    ];
    for (const [args, sql, params] of cases) {
      const expected = await sqlIds('WeeklyReport', sql, params);
      expect(expected.length, args).toBeGreaterThan(0);
      expect(await walk('weeklyReports', args, 100), args).toEqual(expected);
      if (expected.length < 200) expect(await walk('weeklyReports', args, 17, true), args).toEqual(expected);
    }
  });
});

describe('teamMeetings and nested connections', () => {
  it('pages meetings in start order and filters by city and time', async () => {
    expect(await walk('teamMeetings', '', 2)).toEqual(await sqlIds('TeamMeeting', 'SELECT id FROM team_meetings ORDER BY starts_at, id'));
    expect(await walk('teamMeetings', 'filter: { startsAfter: "2026-11-22T00:00:00Z" }', 2, true)).toEqual(
      await sqlIds('TeamMeeting', "SELECT id FROM team_meetings WHERE starts_at >= '2026-11-22T00:00:00Z' ORDER BY starts_at, id"),
    );
    expect(await walk('teamMeetings', 'filter: { city: "Berlin" }', 2)).toEqual(
      await sqlIds('TeamMeeting', "SELECT id FROM team_meetings WHERE city = 'Berlin' ORDER BY starts_at, id"),
    );
  });

  it('pages a user’s reports, schedules and direct reports, and a meeting’s attendees', async () => {
    const managerId = team.managerIds[1]!;
    const query = graphql(`query PaginationUserPages($id: ID!, $after: String) { node(id: $id) { ... on User {
      reports(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id week } } }
      workSchedules(first: 5) { totalCount edges { node { date startsAt endsAt remote } } }
      directReports(first: 100) { totalCount edges { node { id } } }
    } } }`);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      // Typed by hand: `after` comes from the answer, which TypeScript cannot infer in a loop.
      const response: GraphQLResponse<ResultOf<typeof query>> = await api.graphql(query, { id: globalId('User', managerId), after });
      expectNoGraphQLErrors(response, query);
      const user = response.data.node;
      if (!user || !('reports' in user)) expect.unreachable(`node ${managerId} is not a User: ${JSON.stringify(user)}`);
      seen.push(...user.reports.edges.map((e) => e.node.id));
      expect(user.directReports.edges.map((e) => e.node.id)).toEqual(
        await sqlIds('User', 'SELECT id FROM users WHERE manager_id = $1 ORDER BY id', [managerId]),
      );
      expect(user.directReports.totalCount).toBe(9);
      expect(user.workSchedules.totalCount).toBe(2);
      expect(user.workSchedules.edges[0]!.node.date).toBe('2026-11-24');
      if (!user.reports.pageInfo.hasNextPage) break;
      after = user.reports.pageInfo.endCursor;
    }
    expect(seen).toEqual(
      await sqlIds('WeeklyReport', 'SELECT id FROM weekly_reports WHERE user_id = $1 ORDER BY week DESC, id DESC', [managerId]),
    );

    const meetings = await api.graphql(
      graphql(
        `query PaginationMeetingAttendees { teamMeetings(first: 1) { edges { node { organizer { id } attendees(first: 4) { totalCount edges { node { id } } } } } } }`,
      ),
    );
    expectNoGraphQLErrors(meetings);
    const meeting = meetings.data.teamMeetings.edges[0]!.node;
    expect(meeting.attendees.totalCount).toBe(9);
    expect(meeting.attendees.edges).toHaveLength(4);
  });
});

describe('totalCount(approximate: true)', () => {
  it('answers unfiltered lists from the planner statistics, and counts exactly otherwise', async () => {
    await api.db.sql.exec('ANALYZE users; ANALYZE weekly_reports');
    // Make the estimate differ from the truth, as it does between ANALYZE runs on a busy table.
    await api.db.sql.query(
      `INSERT INTO users (email, name, city, country, updated_at) VALUES ('late@example.com', 'Late', 'Rome', 'IT', now())`,
    );
    const [{ n: users }] = (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users')) as [{ n: number }];
    const [{ e: estimate }] = (await api.db.sql.query<{ e: number }>(
      "SELECT reltuples::int AS e FROM pg_class WHERE relname = 'users'",
    )) as [{ e: number }];
    expect(estimate).toBe(users - 1);

    const response = await api.graphql(
      graphql(`query PaginationApproximateCounts {
      all: users(first: 1) { approx: totalCount(approximate: true) exact: totalCount }
      paris: users(first: 1, filter: { city: "Paris" }) { approx: totalCount(approximate: true) exact: totalCount } }`),
    );
    expectNoGraphQLErrors(response);
    expect(response.data.all).toEqual({ approx: estimate, exact: users });
    expect(response.data.paris.approx).toBe(response.data.paris.exact);

    // A viewer who sees only some reports never gets the whole table's estimate.
    api.actAs(team.userIds[3]!);
    const own = await api.graphql(
      graphql(
        `query PaginationOwnApproximateCount { weeklyReports(first: 1) { approx: totalCount(approximate: true) exact: totalCount } }`,
      ),
    );
    expectNoGraphQLErrors(own);
    expect(own.data.weeklyReports.approx).toBe(own.data.weeklyReports.exact);
    api.actAs(team.adminId);
    await api.db.prisma.user.deleteMany({ where: { email: 'late@example.com' } });
  });
});
