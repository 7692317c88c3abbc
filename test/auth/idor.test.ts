// Insecure direct object references: every path by which an EMPLOYEE or a MANAGER could reach reports,
// schedules, meetings or private fields outside their rights (lists, nested connections, node ids, filters,
// counts, cursors), and identities that change between requests made with the same token.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectErrorCode,
  expectNoGraphQLErrors,
  type Document,
  type GraphQLResponse,
  untilApplied,
  WHOLE_TABLE_LIMITS,
} from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { globalId } from '../kit/global-id.js';
import { setupTestApi } from '../kit/setup-test-api.js';
import { castOf, emailsOutside, meetingsIn, peopleIn, type Cast, type PeopleScope } from './access-rules.js';

const { api, team } = setupTestApi({ limits: WHOLE_TABLE_LIMITS });
let cast: Cast;
beforeAll(async () => {
  cast = await castOf(api, team);
});

const MISSING_ID = 987_654;
const sql = <R>(text: string, params: unknown[] = []) => api.db.sql.query<R>(text, params);
const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

async function as<D, V extends Record<string, unknown> = Record<string, unknown>>(userId: number, query: Document<D, V>, variables?: V) {
  api.actAs(userId);
  const response = await api.graphql(query, variables);
  expectNoGraphQLErrors(response, query, variables);
  return response.data;
}

const reportIdsOf = async (userId: number) =>
  ids(await sql<{ id: number }>('SELECT id FROM weekly_reports WHERE user_id = $1 ORDER BY id', [userId]));
const scheduleIdsOf = async (userId: number) =>
  ids(await sql<{ id: number }>('SELECT id FROM work_schedules WHERE user_id = $1 ORDER BY id', [userId]));
const meetingIdOf = async (organizerId: number) =>
  (await sql<{ id: number }>('SELECT id FROM team_meetings WHERE organizer_id = $1 ORDER BY id LIMIT 1', [organizerId]))[0]!.id;

interface Attacker {
  role: 'EMPLOYEE' | 'MANAGER';
  scope: PeopleScope;
  viewer: (cast: Cast) => number;
  /** People whose private data the attacker may not read, keyed by who they are (for failure messages). */
  victims: (cast: Cast) => Record<string, number>;
  /** Someone whose data the attacker may read: the positive control that proves the query shape works. */
  allowed: (cast: Cast) => number;
  /** The organiser of a meeting the attacker neither organises nor attends. */
  foreignMeetingOrganizer: (cast: Cast) => number;
}

const ATTACKERS: Attacker[] = [
  {
    role: 'EMPLOYEE',
    scope: 'self',
    viewer: (c) => c.employee,
    victims: (c) => ({ 'a teammate': c.teammate, 'their own manager': c.manager, 'another team': c.outsider, 'the ADMIN': c.admin }),
    allowed: (c) => c.employee,
    foreignMeetingOrganizer: (c) => c.otherManager,
  },
  {
    role: 'MANAGER',
    scope: 'selfAndReports',
    viewer: (c) => c.manager,
    victims: (c) => ({
      'another team': c.outsider,
      'another manager': c.otherManager,
      'an ANALYST elsewhere': c.analyst,
      'the ADMIN': c.admin,
    }),
    allowed: (c) => c.teammate,
    foreignMeetingOrganizer: (c) => c.otherManager,
  },
];

describe.each(ATTACKERS)('$role', (attacker) => {
  const viewer = () => attacker.viewer(cast);
  const victims = () => Object.entries(attacker.victims(cast));

  it('users { reports, workSchedules, directReports, latestReport } are empty for everyone outside their rights, counts included', async () => {
    const data = await as(
      viewer(),
      graphql(`query IdorUsersPrivate { users(first: 100) { totalCount edges { node { id email latestReport { id }
        reports(first: 100) { totalCount edges { node { id } } }
        workSchedules(first: 100) { totalCount edges { node { id } } }
        directReports(first: 100) { totalCount edges { node { id } } } } } } }`),
    );
    const visible = new Set([...(await peopleIn(api, attacker.scope, viewer()))].map((id) => globalId('User', id)));
    const all = await sql<{ id: number }>('SELECT id FROM users');
    expect(data.users.totalCount).toBe(all.length);
    const nothing = { totalCount: 0, edges: [] };
    for (const { node } of data.users.edges) {
      if (visible.has(node.id)) continue;
      expect(node, `private data of ${node.id}`).toEqual({
        id: node.id,
        email: null,
        latestReport: null,
        reports: nothing,
        workSchedules: nothing,
        directReports: nothing,
      });
    }
    const allowed = data.users.edges.find((e) => e.node.id === globalId('User', attacker.allowed(cast)))!.node;
    expect(allowed.reports.totalCount).toBe((await reportIdsOf(attacker.allowed(cast))).length);
    expect(allowed.reports.totalCount).toBeGreaterThan(0);
  });

  it.each([
    ['WeeklyReport', reportIdsOf],
    ['WorkSchedule', scheduleIdsOf],
  ] as const)(
    'node(id:) and nodes(ids:) of a %s outside their rights answer exactly like an id that does not exist',
    async (type, idsOf) => {
      const query = `query($id: ID!, $ids: [ID!]!) { node(id: $id) { id } nodes(ids: $ids) { id } }`;
      const missing = await as(viewer(), query, { id: globalId(type, MISSING_ID), ids: [globalId(type, MISSING_ID)] });
      expect(missing).toEqual({ node: null, nodes: [null] });
      for (const [who, userId] of victims()) {
        const victimIds = (await idsOf(userId)).map((id) => globalId(type, id));
        expect(victimIds.length, who).toBeGreaterThan(0);
        const data = await as(viewer(), query, { id: victimIds[0], ids: victimIds });
        expect(data, who).toEqual({ node: null, nodes: victimIds.map(() => null) });
      }
      const own = (await idsOf(attacker.allowed(cast))).map((id) => globalId(type, id));
      expect(await as(viewer(), query, { id: own[0], ids: own })).toEqual({ node: { id: own[0] }, nodes: own.map((id) => ({ id })) });
    },
  );

  it('weeklyReports(filter: { userId }) of someone outside their rights looks like a user without reports', async () => {
    const query = graphql(`query IdorReportsOfUser($u: ID!) { weeklyReports(first: 10, filter: { userId: $u }) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`);
    const missing = await as(viewer(), query, { u: globalId('User', MISSING_ID) });
    expect(missing.weeklyReports.totalCount).toBe(0);
    for (const [who, userId] of victims()) {
      expect(await as(viewer(), query, { u: globalId('User', userId) }), who).toEqual(missing);
    }
    const allowed = await as(viewer(), query, { u: globalId('User', attacker.allowed(cast)) });
    expect(allowed.weeklyReports.totalCount).toBe((await reportIdsOf(attacker.allowed(cast))).length);
  });

  it('weeklyReports without a filter count only their own rows (and their reports’)', async () => {
    const data = await as(
      viewer(),
      graphql(`query IdorOwnReports { weeklyReports(first: 100) { totalCount edges { node { user { id } } } } }`),
    );
    const visible = [...(await peopleIn(api, attacker.scope, viewer()))];
    const [counted] = await sql<{ count: number }>('SELECT count(*)::int AS count FROM weekly_reports WHERE user_id = ANY($1::int[])', [
      visible,
    ]);
    expect(data.weeklyReports.totalCount).toBe(counted!.count);
    const authors = new Set(data.weeklyReports.edges.map((e) => e.node.user.id));
    expect([...authors].filter((id) => !visible.map((v) => globalId('User', v)).includes(id))).toEqual([]);
  });

  it('directReports of someone else’s manager lead nowhere: the list, its count and the reports behind it are empty', async () => {
    const query = graphql(`query IdorDirectReports($id: ID!) { node(id: $id) { ... on User {
      directReports(first: 100) { totalCount edges { node { email reports { totalCount } workSchedules { totalCount } } } } } } }`);
    for (const managerId of [cast.otherManager, ...(attacker.role === 'EMPLOYEE' ? [cast.manager] : [])]) {
      const data = await as(viewer(), query, { id: globalId('User', managerId) });
      expect(data.node!.directReports, `direct reports of ${managerId}`).toEqual({ totalCount: 0, edges: [] });
    }
  });

  it('latestReport of someone outside their rights is null on every path to the user', async () => {
    for (const [who, userId] of victims()) {
      const id = globalId('User', userId);
      const data = await as(
        viewer(),
        `query($id: ID!, $ids: [ID!]!) { node(id: $id) { ... on User { latestReport { id } } } nodes(ids: $ids) { ... on User { latestReport { id } } } }`,
        { id, ids: [id] },
      );
      expect(data, who).toEqual({ node: { latestReport: null }, nodes: [{ latestReport: null }] });
    }
  });

  it('WeeklyReport.previous never steps into another user’s reports', async () => {
    const data = await as(
      viewer(),
      graphql(`query IdorPreviousReports { weeklyReports(first: 100) { edges { node { user { id } previous { user { id } } } } } }`),
    );
    const visible = new Set([...(await peopleIn(api, attacker.scope, viewer()))].map((id) => globalId('User', id)));
    const reports = data.weeklyReports.edges.map((e) => e.node);
    expect(reports.filter((n) => n.previous).length).toBeGreaterThan(0);
    for (const node of reports) {
      if (!node.previous) continue;
      expect(node.previous.user.id).toBe(node.user.id);
      expect(visible.has(node.previous.user.id)).toBe(true);
    }
  });

  it('a meeting they neither organise nor attend is absent from teamMeetings, its count, node and nodes', async () => {
    const foreign = globalId('TeamMeeting', await meetingIdOf(attacker.foreignMeetingOrganizer(cast)));
    const data = await as(
      viewer(),
      `query($id: ID!) { teamMeetings(first: 100) { totalCount edges { node { id } } } node(id: $id) { id } nodes(ids: [$id]) { id } }`,
      { id: foreign },
    );
    const mine = await meetingsIn(api, 'organisedOrAttended', viewer());
    expect(mine.size).toBeGreaterThan(0);
    expect(data).toEqual({
      teamMeetings: {
        totalCount: mine.size,
        edges: [...mine].sort((a, b) => a - b).map((id) => ({ node: { id: globalId('TeamMeeting', id) } })),
      },
      node: null,
      nodes: [null],
    });
  });

  it('private fields stay null when the user is reached through meetings, reports, managers or nodes', async () => {
    const body = JSON.stringify(
      await as(
        viewer(),
        `query($ids: [ID!]!) {
          teamMeetings(first: 100) { edges { node { organizer { email active createdAt manager { id } }
            attendees(first: 100) { edges { node { email active updatedAt latestReport { id } } } } } } }
          weeklyReports(first: 100) { edges { node { user { email manager { email } } } } }
          users(first: 100) { edges { node { manager { email directReports { edges { node { email } } } } } } }
          nodes(ids: $ids) { ... on User { email createdAt } } }`,
        { ids: Object.values(cast).map((id) => globalId('User', id)) },
      ),
    );
    const leaked = (await emailsOutside(api, attacker.scope, viewer())).filter((email) => body.includes(email));
    expect(leaked).toEqual([]);
    // A positive control: the query shape does show emails the viewer may read.
    expect(body).toContain((await sql<{ email: string }>('SELECT email FROM users WHERE id = $1', [attacker.allowed(cast)]))[0]!.email);
  });

  it('users(filter: { search }) does not match the emails of others', async () => {
    const query = 'query($s: String!) { users(filter: { search: $s }) { totalCount } }';
    for (const [who, userId] of victims()) {
      const [victim] = await sql<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId]);
      expect(await as(viewer(), query, { s: victim!.email }), who).toEqual({ users: { totalCount: 0 } });
    }
  });

  // Ordering by CREATED_AT would reveal the private createdAt (order and cursors): ANALYST and ADMIN only.
  it('users(orderBy: CREATED_AT) reveals no createdAt outside their rights, not even in cursors', async () => {
    api.actAs(viewer());
    const response = await api.graphql(
      graphql(`query IdorCreatedAtOrder { users(first: 100, orderBy: { field: CREATED_AT }) { edges { cursor node { id } } } }`),
    );
    const visible = await peopleIn(api, attacker.scope, viewer());
    const hidden = await sql<{ id: number; created_at: Date }>('SELECT id, created_at FROM users WHERE NOT (id = ANY($1::int[]))', [
      [...visible],
    ]);
    const cursors = (response.data?.users.edges ?? []).map((e) => Buffer.from(e.cursor, 'base64url').toString('utf8'));
    const body = JSON.stringify(response) + cursors.join('\n');
    expect(hidden.map((u) => u.created_at.toISOString()).filter((iso) => body.includes(iso))).toEqual([]);
  });
});

describe('refused writes look the same whether the target exists or not', () => {
  async function refusal(userId: number, query: string, variables: Record<string, unknown>, code: string) {
    api.actAs(userId);
    const response = await api.graphql(query, variables);
    const message = expectErrorCode(response, code);
    expect(response.data ?? null).toBeNull();
    return { message, errors: response.errors!.map((e) => ({ message: e.message, extensions: e.extensions, path: e.path })) };
  }

  it('an EMPLOYEE updating or deleting a teammate’s schedule gets the NOT_FOUND of a missing schedule', async () => {
    const [theirs] = await scheduleIdsOf(cast.teammate);
    for (const mutation of [
      'mutation($id: ID!) { updateWorkSchedule(input: { id: $id, remote: true }) { workSchedule { id } } }',
      'mutation($id: ID!) { deleteWorkSchedule(input: { id: $id }) { deletedId } }',
    ]) {
      const real = await refusal(cast.employee, mutation, { id: globalId('WorkSchedule', theirs!) }, 'NOT_FOUND');
      const missing = await refusal(cast.employee, mutation, { id: globalId('WorkSchedule', MISSING_ID) }, 'NOT_FOUND');
      expect(real).toEqual(missing);
    }
    expect(await scheduleIdsOf(cast.teammate)).toContain(theirs);
  });

  it('a MANAGER creating a schedule for someone else’s report gets the FORBIDDEN of a missing user', async () => {
    const mutation = `mutation($u: ID!) { createWorkSchedule(input: {
      userId: $u, date: "2027-06-01", startsAt: "2027-06-01T09:00:00Z", endsAt: "2027-06-01T17:00:00Z" }) { workSchedule { id } } }`;
    const real = await refusal(cast.manager, mutation, { u: globalId('User', cast.outsider) }, 'FORBIDDEN');
    const missing = await refusal(cast.manager, mutation, { u: globalId('User', MISSING_ID) }, 'FORBIDDEN');
    expect(real).toEqual(missing);
    expect(await sql(`SELECT id FROM work_schedules WHERE date = '2027-06-01'`)).toEqual([]);
  });

  it('a MANAGER changing another manager’s meeting gets the NOT_FOUND of a missing meeting', async () => {
    const mutation =
      'mutation($m: ID!, $u: ID!) { updateTeamMeetingAttendance(input: { meetingId: $m, add: [$u] }) { teamMeeting { id } } }';
    const theirs = await meetingIdOf(cast.otherManager);
    const u = globalId('User', cast.employee);
    const real = await refusal(cast.manager, mutation, { m: globalId('TeamMeeting', theirs), u }, 'NOT_FOUND');
    const missing = await refusal(cast.manager, mutation, { m: globalId('TeamMeeting', MISSING_ID), u }, 'NOT_FOUND');
    expect(real).toEqual(missing);
    expect(await sql('SELECT 1 FROM "_MeetingAttendees" WHERE "A" = $1 AND "B" = $2', [theirs, cast.employee])).toEqual([]);
  });
});

describe('identity changes written with plain SQL apply within a second, with the same token', () => {
  /** One token, signed once, reused for every request (api.actAs would sign a fresh one each time). */
  async function session(userId: number) {
    const token = await api.tokenFor(userId);
    api.actAs(null);
    return <D, V extends Record<string, unknown> = Record<string, unknown>>(
      query: Document<D, V>,
      variables?: V,
    ): Promise<GraphQLResponse<D>> => api.graphql(query, variables, { authorization: `Bearer ${token}` });
  }
  const at = (index: number) => team.userIds[index]!;

  it('a MANAGER demoted to EMPLOYEE loses their reports’ profiles, reports, schedules and manager writes', async () => {
    const demoted = at(40);
    const report = at(41);
    const send = await session(demoted);
    const query = graphql(`query IdorDemoted($me: ID!, $u: ID!, $r: ID!, $s: ID!) {
      weeklyReports(filter: { userId: $u }) { totalCount }
      user: node(id: $u) { ... on User { email manager { id } latestReport { id } reports { totalCount } workSchedules { totalCount } } }
      report: node(id: $r) { id }
      schedule: node(id: $s) { id }
      me: node(id: $me) { ... on User { reports { totalCount } directReports(first: 100) { edges { node { email reports { totalCount } } } } } } }`);
    const variables = {
      u: globalId('User', report),
      r: globalId('WeeklyReport', (await reportIdsOf(report))[0]!),
      s: globalId('WorkSchedule', (await scheduleIdsOf(report))[0]!),
      me: globalId('User', demoted),
    };
    const before = await send(query, variables);
    expectNoGraphQLErrors(before, query, variables);
    expect(before.data.weeklyReports.totalCount).toBeGreaterThan(0);
    expect(before.data.user!.email).not.toBeNull();
    expect(before.data.report).not.toBeNull();
    expect(before.data.schedule).not.toBeNull();

    await sql(`UPDATE users SET role = 'EMPLOYEE' WHERE id = $1`, [demoted]);
    try {
      const after = await untilApplied(
        () => send(query, variables),
        (r) => r.data?.weeklyReports.totalCount === 0,
      );
      expectNoGraphQLErrors(after, query, variables);
      const ownReports = (await reportIdsOf(demoted)).length;
      expect(after.data).toEqual({
        weeklyReports: { totalCount: 0 },
        user: { email: null, manager: null, latestReport: null, reports: { totalCount: 0 }, workSchedules: { totalCount: 0 } },
        report: null,
        schedule: null,
        // Their own profile stays theirs; the people who still point at them show only public profiles.
        me: {
          reports: { totalCount: ownReports },
          directReports: { edges: before.data.me!.directReports.edges.map(() => ({ node: { email: null, reports: { totalCount: 0 } } })) },
        },
      });

      const create = await send(
        `mutation($u: ID!) { createWorkSchedule(input: { userId: $u, date: "2027-07-01",
          startsAt: "2027-07-01T09:00:00Z", endsAt: "2027-07-01T17:00:00Z" }) { workSchedule { id } } }`,
        { u: globalId('User', report) },
      );
      expectErrorCode(create, 'FORBIDDEN');
      const meeting = await send(
        `mutation { createTeamMeeting(input: { title: "After demotion", startsAt: "2027-07-01T09:00:00Z", durationMinutes: 30, city: "Berlin" }) { teamMeeting { id } } }`,
      );
      expectErrorCode(meeting, 'FORBIDDEN');
      const attendance = await send(
        'mutation($m: ID!, $u: ID!) { updateTeamMeetingAttendance(input: { meetingId: $m, add: [$u] }) { teamMeeting { id } } }',
        { m: globalId('TeamMeeting', await meetingIdOf(demoted)), u: globalId('User', cast.outsider) },
      );
      expectErrorCode(attendance, 'FORBIDDEN');
      expect(await sql(`SELECT id FROM work_schedules WHERE user_id = $1 AND date = '2027-07-01'`, [report])).toEqual([]);
      expect(await sql(`SELECT id FROM team_meetings WHERE title = 'After demotion'`)).toEqual([]);
    } finally {
      await sql(`UPDATE users SET role = 'MANAGER' WHERE id = $1`, [demoted]);
    }
  });

  it.each([
    ['deactivated', (id: number) => sql('UPDATE users SET active = false WHERE id = $1', [id])],
    ['deleted', (id: number) => sql('DELETE FROM users WHERE id = $1', [id])],
  ] as const)('a %s user gets UNAUTHENTICATED (HTTP 401) with the token that worked a moment ago', async (change, apply) => {
    const userId = change === 'deleted' ? at(52) : at(51);
    const send = await session(userId);
    const query = graphql(`query IdorReportCount { weeklyReports { totalCount } }`);
    const before = await send(query);
    expectNoGraphQLErrors(before, query);
    expect(before.data.weeklyReports.totalCount).toBeGreaterThan(0);
    await apply(userId);
    const after = await untilApplied(
      () => send(query),
      (r) => r.status === 401,
    );
    expectErrorCode(after, 'UNAUTHENTICATED');
    expect(after.status).toBe(401);
    expect(after.data ?? null).toBeNull();
    const write = await send(
      'mutation { submitWeeklyReport(input: { week: "2025-W11", workdays: 5, stressLevel: 2, highlights: "ghost" }) { report { id } } }',
    );
    expectErrorCode(write, 'UNAUTHENTICATED');
    expect(await sql(`SELECT id FROM weekly_reports WHERE highlights = 'ghost'`)).toEqual([]);
  });
});
