// The authorization matrix: every Query and Mutation field, and every field that leads from one node to
// others, against every kind of caller, with the outcome the issue prescribes. Allowed reads must equal
// what independent SQL says the role may see; refused calls return the documented code, no data, no writes.
import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isInterfaceType, isNullableType, isObjectType, type GraphQLNamedType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { addWeeks } from '../../src/domain/iso-week.js';
import { computeCountryAnalytics } from '../../src/services/compute-country-analytics.js';
import { computeDashboardStats } from '../../src/services/compute-dashboard-stats.js';
import { expectErrorCode, expectNoGraphQLErrors, type GraphQLResponse, WHOLE_TABLE_LIMITS } from '../kit/api.js';
import { globalId } from '../kit/global-id.js';
import { setupTestApi } from '../kit/setup-test-api.js';
import {
  ACTORS,
  actAs,
  castOf,
  emailsOutside,
  meetingsIn,
  peopleIn,
  userIdOf,
  type Actor,
  type Cast,
  type MeetingScope,
  type PeopleScope,
  type PerActor,
} from './access-rules.js';

const { api, team } = setupTestApi({ limits: WHOLE_TABLE_LIMITS });
let cast: Cast;
beforeAll(async () => {
  cast = await castOf(api, team);
});

const UNAUTHENTICATED = 'UNAUTHENTICATED';
const FORBIDDEN = 'FORBIDDEN';
const NOT_FOUND = 'NOT_FOUND';
type Refusal = typeof UNAUTHENTICATED | typeof FORBIDDEN | typeof NOT_FOUND;
const REFUSALS: readonly string[] = [UNAUTHENTICATED, FORBIDDEN, NOT_FOUND];

/** Every user's name, city, country and role: what any signed-in user may read of anyone. */
type PublicScope = 'publicProfiles';
/** Weekly summaries: company-wide aggregates for MANAGER, ANALYST and ADMIN; 'noSummaries' sees none. */
type SummaryScope = 'summaries' | 'noSummaries';
type ReadScope = PeopleScope | MeetingScope | PublicScope | SummaryScope;
const PEOPLE_SCOPES: readonly string[] = ['self', 'selfAndReports', 'everyone'] satisfies PeopleScope[];
const MEETING_SCOPES: readonly string[] = ['organisedOrAttended', 'all'] satisfies MeetingScope[];

interface ReadRow {
  name: string;
  /** Schema coordinates this row proves; the meta-test checks them against schema.graphql. */
  covers: string[];
  request: () => Promise<{ query: string; variables?: Record<string, unknown> }>;
  /** `data` as the rules allow it, from SQL; `visible` holds the ids of the users or meetings the scope covers. */
  expected: (visible: Set<number>) => Promise<unknown>;
  outcomes: PerActor<ReadScope | Refusal>;
}

interface WriteRow {
  name: string;
  covers: string[];
  outcomes: PerActor<'ok' | Refusal>;
  /** Prepares what the mutation needs (fresh rows in `slot`'s own dates), runs it, and returns a check of the database. */
  attempt: (actor: Actor, slot: number) => Promise<{ response: GraphQLResponse; verify: (allowed: boolean) => Promise<void> }>;
}

const sql = <R>(text: string, params: unknown[] = []) => api.db.sql.query<R>(text, params);
const fixed = (query: string) => async () => ({ query });

interface UserRow {
  id: number;
  name: string;
  city: string;
  country: string;
  role: string;
  email: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  manager_id: number | null;
}
interface ReportRow {
  id: number;
  user_id: number;
  week: string;
}
interface ScheduleRow {
  id: number;
  user_id: number;
  date: string;
}

const usersByName = () =>
  sql<UserRow>(
    'SELECT id, name, city, country, role::text AS role, email, active, created_at, updated_at, manager_id FROM users ORDER BY name, id',
  );
const reportsNewestFirst = () => sql<ReportRow>('SELECT id, user_id, week FROM weekly_reports ORDER BY week DESC, id DESC');
const schedulesLatestFirst = () =>
  sql<ScheduleRow>(`SELECT id, user_id, to_char(date, 'YYYY-MM-DD') AS date FROM work_schedules ORDER BY date DESC, id DESC`);

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

const connection = <T>(nodes: T[]) => ({ totalCount: nodes.length, edges: nodes.map((node) => ({ node })) });

/** A row reading `selection` on every user through `users`; `value` gives the fields as the rules allow them. */
function userFieldRow(
  field: string,
  selection: string,
  outcomes: ReadRow['outcomes'],
  value: (user: UserRow, seesFullProfile: boolean) => Promise<Record<string, unknown>> | Record<string, unknown>,
  extraCovers: string[] = [],
): ReadRow {
  return {
    name: `User.${field}`,
    covers: [`User.${field}`, ...extraCovers],
    request: fixed(`{ users(first: 100) { edges { node { id ${selection} } } } }`),
    expected: async (visible) => {
      const users = await usersByName();
      const edges = [];
      for (const user of users) edges.push({ node: { id: globalId('User', user.id), ...(await value(user, visible.has(user.id))) } });
      return { users: { edges } };
    },
    outcomes,
  };
}

/** What node(id:)/nodes(ids:) of one type should return: `targets` (plus an id that does not exist) and each one's fields. */
interface NodeSpec<R extends { id: number }> {
  type: string;
  fragment: string;
  targets: () => Promise<R[]>;
  /** The node as the rules allow it, or null. */
  node: (row: R, visible: Set<number>) => Record<string, unknown> | null;
  outcomes: ReadRow['outcomes'];
}

const MISSING_ID = 987_654;

function nodeRows<R extends { id: number }>(spec: NodeSpec<R>): ReadRow[] {
  const targets = async () => [...(await spec.targets()), null];
  const idOf = (row: R | null) => globalId(spec.type, row?.id ?? MISSING_ID);
  const expectedNode = (row: R | null, visible: Set<number>) => {
    const node = row && spec.node(row, visible);
    return node ? { __typename: spec.type, id: idOf(row), ...node } : null;
  };
  const selection = `__typename id ... on ${spec.type} { ${spec.fragment} }`;
  return [
    {
      name: `node (${spec.type})`,
      covers: ['Query.node'],
      request: async () => {
        const rows = await targets();
        const args = rows.map((_, i) => `$n${i}: ID!`).join(', ');
        const fields = rows.map((_, i) => `n${i}: node(id: $n${i}) { ${selection} }`).join(' ');
        return { query: `query(${args}) { ${fields} }`, variables: Object.fromEntries(rows.map((row, i) => [`n${i}`, idOf(row)])) };
      },
      expected: async (visible) => Object.fromEntries((await targets()).map((row, i) => [`n${i}`, expectedNode(row, visible)])),
      outcomes: spec.outcomes,
    },
    {
      name: `nodes (${spec.type})`,
      covers: ['Query.nodes'],
      request: async () => ({
        query: `query($ids: [ID!]!) { nodes(ids: $ids) { ${selection} } }`,
        variables: { ids: (await targets()).map(idOf) },
      }),
      expected: async (visible) => ({ nodes: (await targets()).map((row) => expectedNode(row, visible)) }),
      outcomes: spec.outcomes,
    },
  ];
}

const castIds = () => Object.values(cast);

// Columns: anonymous, SERVICE, EMPLOYEE, MANAGER, ANALYST, ADMIN.
const READS: ReadRow[] = [
  {
    name: 'users',
    covers: ['Query.users'],
    request: fixed('{ users(first: 100) { totalCount edges { node { id name city country role } } } }'),
    expected: async () => {
      const users = await usersByName();
      return {
        users: connection(users.map((u) => ({ id: globalId('User', u.id), name: u.name, city: u.city, country: u.country, role: u.role }))),
      };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'publicProfiles', 'publicProfiles', 'publicProfiles', 'publicProfiles'],
  },
  {
    name: 'me',
    covers: ['Query.me'],
    request: fixed('{ me { id email active manager { id } reports(first: 100) { totalCount } } }'),
    expected: async (visible) => {
      const [me] = await sql<UserRow & { reports: number }>(
        'SELECT id, email, active, manager_id, (SELECT count(*)::int FROM weekly_reports WHERE user_id = users.id) AS reports FROM users WHERE id = ANY($1::int[])',
        [[...visible]],
      );
      const manager = me!.manager_id === null ? null : { id: globalId('User', me!.manager_id) };
      return { me: { id: globalId('User', me!.id), email: me!.email, active: me!.active, manager, reports: { totalCount: me!.reports } } };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'self', 'self', 'self', 'self'],
  },
  userFieldRow('email', 'email', [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'], (u, sees) => ({
    email: sees ? u.email : null,
  })),
  userFieldRow('active', 'active', [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'], (u, sees) => ({
    active: sees ? u.active : null,
  })),
  userFieldRow('createdAt', 'createdAt', [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'], (u, sees) => ({
    createdAt: sees ? u.created_at.toISOString() : null,
  })),
  userFieldRow('updatedAt', 'updatedAt', [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'], (u, sees) => ({
    updatedAt: sees ? u.updated_at.toISOString() : null,
  })),
  userFieldRow('manager', 'manager { id }', [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'], (u, sees) => ({
    manager: sees && u.manager_id !== null ? { id: globalId('User', u.manager_id) } : null,
  })),
  userFieldRow(
    'latestReport',
    'latestReport { id week }',
    [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
    async (u, sees) => {
      const [latest] = sees
        ? await sql<ReportRow>('SELECT id, week FROM weekly_reports WHERE user_id = $1 ORDER BY week DESC LIMIT 1', [u.id])
        : [];
      return { latestReport: latest ? { id: globalId('WeeklyReport', latest.id), week: latest.week } : null };
    },
  ),
  userFieldRow(
    'reports',
    'reports(first: 100) { totalCount edges { node { id week } } }',
    [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
    async (u, sees) => {
      const rows = sees
        ? await sql<ReportRow>('SELECT id, week FROM weekly_reports WHERE user_id = $1 ORDER BY week DESC, id DESC', [u.id])
        : [];
      return { reports: connection(rows.map((r) => ({ id: globalId('WeeklyReport', r.id), week: r.week }))) };
    },
  ),
  userFieldRow(
    'workSchedules',
    'workSchedules(first: 100) { totalCount edges { node { id date user { id } } } }',
    [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
    async (u, sees) => {
      const rows = sees ? (await schedulesLatestFirst()).filter((s) => s.user_id === u.id) : [];
      const user = { id: globalId('User', u.id) };
      return { workSchedules: connection(rows.map((s) => ({ id: globalId('WorkSchedule', s.id), date: s.date, user }))) };
    },
    ['WorkSchedule.user'],
  ),
  userFieldRow(
    'directReports',
    'directReports(first: 100) { totalCount edges { node { id } } }',
    [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
    async (u, sees) => {
      const rows = sees ? await sql<{ id: number }>('SELECT id FROM users WHERE manager_id = $1 ORDER BY id', [u.id]) : [];
      return { directReports: connection(rows.map((r) => ({ id: globalId('User', r.id) }))) };
    },
  ),
  {
    name: 'weeklyReports',
    covers: ['Query.weeklyReports', 'WeeklyReport.user'],
    request: fixed('{ weeklyReports(first: 100) { totalCount edges { node { id week user { id } } } } }'),
    expected: async (visible) => {
      const rows = (await reportsNewestFirst()).filter((r) => visible.has(r.user_id));
      const page = rows
        .slice(0, 100)
        .map((r) => ({ node: { id: globalId('WeeklyReport', r.id), week: r.week, user: { id: globalId('User', r.user_id) } } }));
      return { weeklyReports: { totalCount: rows.length, edges: page } };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
  },
  {
    name: 'WeeklyReport.previous',
    covers: ['WeeklyReport.previous'],
    request: fixed('{ weeklyReports(first: 100) { edges { node { id previous { id week } } } } }'),
    expected: async (visible) => {
      const rows = (await reportsNewestFirst()).filter((r) => visible.has(r.user_id));
      const byUserWeek = new Map(rows.map((r) => [`${r.user_id}/${r.week}`, r]));
      const edges = rows.slice(0, 100).map((r) => {
        const previous = byUserWeek.get(`${r.user_id}/${addWeeks(r.week, -1)}`);
        return {
          node: {
            id: globalId('WeeklyReport', r.id),
            previous: previous ? { id: globalId('WeeklyReport', previous.id), week: previous.week } : null,
          },
        };
      });
      return { weeklyReports: { edges } };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
  },
  {
    name: 'teamMeetings',
    covers: ['Query.teamMeetings', 'TeamMeeting.organizer'],
    request: fixed('{ teamMeetings(first: 100) { totalCount edges { node { id title organizer { id } } } } }'),
    expected: async (visible) => {
      const rows = await sql<{ id: number; title: string; organizer_id: number }>(
        'SELECT id, title, organizer_id FROM team_meetings WHERE id = ANY($1::int[]) ORDER BY starts_at, id',
        [[...visible]],
      );
      return {
        teamMeetings: connection(
          rows.map((m) => ({ id: globalId('TeamMeeting', m.id), title: m.title, organizer: { id: globalId('User', m.organizer_id) } })),
        ),
      };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'organisedOrAttended', 'organisedOrAttended', 'all', 'all'],
  },
  {
    name: 'TeamMeeting.attendees',
    covers: ['TeamMeeting.attendees'],
    request: fixed('{ teamMeetings(first: 100) { edges { node { id attendees(first: 100) { totalCount edges { node { id } } } } } } }'),
    expected: async (visible) => {
      const meetings = await sql<{ id: number }>('SELECT id FROM team_meetings WHERE id = ANY($1::int[]) ORDER BY starts_at, id', [
        [...visible],
      ]);
      const attendance = groupBy(
        await sql<{ meeting_id: number; user_id: number }>(
          'SELECT "A" AS meeting_id, "B" AS user_id FROM "_MeetingAttendees" ORDER BY "B"',
        ),
        (row) => row.meeting_id,
      );
      const edges = meetings.map((m) => ({
        node: {
          id: globalId('TeamMeeting', m.id),
          attendees: connection((attendance.get(m.id) ?? []).map((a) => ({ id: globalId('User', a.user_id) }))),
        },
      }));
      return { teamMeetings: { edges } };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'organisedOrAttended', 'organisedOrAttended', 'all', 'all'],
  },
  {
    name: 'exportUrl',
    covers: ['Query.exportUrl'],
    request: fixed('{ exportUrl }'),
    expected: async () => ({ exportUrl: expect.stringMatching(/^\/export\/weekly-reports\.csv\?token=[\w-]+\.[\w-]+\.[\w-]+$/) }),
    outcomes: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, 'summaries', 'summaries'],
  },
  {
    name: 'countryAnalytics',
    covers: ['Query.countryAnalytics'],
    request: fixed('{ countryAnalytics(from: "2026-W45", to: "2026-W47") { country weeks { week reportsSubmitted } } }'),
    expected: async () => ({
      countryAnalytics: (await computeCountryAnalytics({ prisma: api.db.prisma, from: '2026-W45', to: '2026-W47' })).map((c) => ({
        country: c.country,
        weeks: c.weeks.map((w) => ({ week: w.week, reportsSubmitted: w.reportsSubmitted })),
      })),
    }),
    outcomes: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, 'summaries', 'summaries'],
  },
  {
    name: 'stressAlerts',
    covers: ['Query.stressAlerts'],
    request: fixed('{ stressAlerts(week: "2026-W47", first: 100) { totalCount edges { node { id } } } }'),
    expected: async (visible) => {
      const rows = await sql<{ id: number }>(
        `SELECT u.id FROM users u
         JOIN weekly_reports a ON a.user_id = u.id AND a.week = '2026-W47' AND a.stress_level >= 8
         JOIN weekly_reports b ON b.user_id = u.id AND b.week = '2026-W46' AND b.stress_level >= 8
         WHERE u.id = ANY($1::int[]) ORDER BY u.name, u.id`,
        [[...visible]],
      );
      return { stressAlerts: connection(rows.map((r) => ({ id: globalId('User', r.id) }))) };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
  },
  {
    name: 'dashboardStats',
    covers: ['Query.dashboardStats'],
    request: fixed('{ dashboardStats(week: "2026-W47") { week current { reportsSubmitted activeUsers averageStress } byRole { key } } }'),
    // Company-wide aggregates: the same for every reader allowed to ask (the 'summaries' readers).
    expected: async () => {
      const stats = await computeDashboardStats({ prisma: api.db.prisma, week: '2026-W47' });
      return {
        dashboardStats: {
          week: '2026-W47',
          current: {
            reportsSubmitted: stats.current.reportsSubmitted,
            activeUsers: stats.current.activeUsers,
            averageStress: stats.current.averageStress,
          },
          byRole: stats.byRole.map((b) => ({ key: b.key })),
        },
      };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, 'summaries', 'summaries', 'summaries'],
  },
  {
    name: 'weeklySummaries and weeklySummary',
    covers: ['Query.weeklySummaries', 'Query.weeklySummary'],
    request: async () => {
      await ensureSummaries();
      return {
        query: '{ weeklySummaries(first: 100) { totalCount edges { node { id week } } } weeklySummary(week: "2020-W01") { week } }',
      };
    },
    expected: async (visible) => {
      const rows = await sql<{ id: number; week: string }>(
        'SELECT id, week FROM weekly_summaries WHERE id = ANY($1::int[]) ORDER BY week DESC, id DESC',
        [[...visible]],
      );
      return {
        weeklySummaries: {
          totalCount: rows.length,
          edges: rows.map((r) => ({ node: { id: globalId('WeeklySummary', r.id), week: r.week } })),
        },
        weeklySummary: rows.some((r) => r.week === '2020-W01') ? { week: '2020-W01' } : null,
      };
    },
    outcomes: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, 'summaries', 'summaries', 'summaries'],
  },
  ...nodeRows({
    type: 'WeeklySummary',
    fragment: 'week',
    targets: async () => {
      await ensureSummaries();
      return sql<{ id: number; week: string }>('SELECT id, week FROM weekly_summaries ORDER BY id');
    },
    node: (s, visible) => (visible.has(s.id) ? { week: s.week } : null),
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'noSummaries', 'summaries', 'summaries', 'summaries'],
  }),
  ...nodeRows({
    type: 'User',
    fragment: 'name email',
    targets: () =>
      sql<{ id: number; name: string; email: string }>('SELECT id, name, email FROM users WHERE id = ANY($1::int[]) ORDER BY id', [
        castIds(),
      ]),
    // Public profiles are everyone's: the node is there, only the private field follows the rule.
    node: (u, visible) => ({ name: u.name, email: visible.has(u.id) ? u.email : null }),
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
  }),
  ...nodeRows({
    type: 'WeeklyReport',
    fragment: 'week',
    targets: () => sql<ReportRow>('SELECT id, user_id, week FROM weekly_reports WHERE user_id = ANY($1::int[]) ORDER BY id', [castIds()]),
    node: (r, visible) => (visible.has(r.user_id) ? { week: r.week } : null),
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
  }),
  ...nodeRows({
    type: 'WorkSchedule',
    fragment: 'date',
    targets: async () => (await schedulesLatestFirst()).filter((s) => castIds().includes(s.user_id)),
    node: (s, visible) => (visible.has(s.user_id) ? { date: s.date } : null),
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'self', 'selfAndReports', 'everyone', 'everyone'],
  }),
  ...nodeRows({
    type: 'TeamMeeting',
    fragment: 'title',
    targets: () => sql<{ id: number; title: string }>('SELECT id, title FROM team_meetings ORDER BY id'),
    node: (m, visible) => (visible.has(m.id) ? { title: m.title } : null),
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'organisedOrAttended', 'organisedOrAttended', 'all', 'all'],
  }),
];

/** Whose data a write aims at: the actor's own (the EMPLOYEE's for callers without a user), MANAGER's report, another team's member. */
type Target = 'own' | "MANAGER's report" | 'another team';

function targetUser(target: Target, actor: Actor): number {
  if (target === 'own') return userIdOf(cast, actor) ?? cast.employee;
  return target === 'another team' ? cast.outsider : cast.teammate;
}

/** A day of its own for each matrix case, far from the seeded schedules, so no two cases collide. */
function dayOf(slot: number) {
  const date = new Date(Date.UTC(2027, 0, 1 + slot));
  const at = (hour: number) => new Date(date.getTime() + hour * 3_600_000);
  return { date: date.toISOString().slice(0, 10), startsAt: at(9), endsAt: at(17) };
}

async function scheduleFixture(userId: number, slot: number): Promise<number> {
  const { date, startsAt, endsAt } = dayOf(slot);
  const row = await api.db.prisma.workSchedule.create({
    data: { userId, date: new Date(`${date}T00:00:00Z`), startsAt, endsAt, remote: false },
    select: { id: true },
  });
  return row.id;
}

function createScheduleRow(target: Target, outcomes: WriteRow['outcomes']): WriteRow {
  return {
    name: `createWorkSchedule (${target})`,
    covers: ['Mutation.createWorkSchedule'],
    outcomes,
    attempt: async (actor, slot) => {
      const userId = targetUser(target, actor);
      const { date, startsAt, endsAt } = dayOf(slot);
      const input = {
        date,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        ...(target === 'own' ? {} : { userId: globalId('User', userId) }),
      };
      const response = await api.graphql(
        'mutation($input: CreateWorkScheduleInput!) { createWorkSchedule(input: $input) { workSchedule { id date user { id } } } }',
        { input },
      );
      return {
        response,
        verify: async (allowed) => {
          const rows = await sql<{ id: number }>('SELECT id FROM work_schedules WHERE user_id = $1 AND date = $2::date', [userId, date]);
          expect(rows).toHaveLength(allowed ? 1 : 0);
          if (allowed) {
            expect(response.data).toEqual({
              createWorkSchedule: {
                workSchedule: { id: globalId('WorkSchedule', rows[0]!.id), date, user: { id: globalId('User', userId) } },
              },
            });
          }
        },
      };
    },
  };
}

function updateScheduleRow(target: Target, outcomes: WriteRow['outcomes']): WriteRow {
  return {
    name: `updateWorkSchedule (${target})`,
    covers: ['Mutation.updateWorkSchedule'],
    outcomes,
    attempt: async (actor, slot) => {
      const id = await scheduleFixture(targetUser(target, actor), slot);
      const response = await api.graphql(
        'mutation($input: UpdateWorkScheduleInput!) { updateWorkSchedule(input: $input) { workSchedule { id remote } } }',
        { input: { id: globalId('WorkSchedule', id), remote: true } },
      );
      return {
        response,
        verify: async (allowed) => {
          expect(await sql('SELECT remote FROM work_schedules WHERE id = $1', [id])).toEqual([{ remote: allowed }]);
          if (allowed)
            expect(response.data).toEqual({ updateWorkSchedule: { workSchedule: { id: globalId('WorkSchedule', id), remote: true } } });
        },
      };
    },
  };
}

function deleteScheduleRow(target: Target, outcomes: WriteRow['outcomes']): WriteRow {
  return {
    name: `deleteWorkSchedule (${target})`,
    covers: ['Mutation.deleteWorkSchedule'],
    outcomes,
    attempt: async (actor, slot) => {
      const id = await scheduleFixture(targetUser(target, actor), slot);
      const response = await api.graphql('mutation($input: DeleteWorkScheduleInput!) { deleteWorkSchedule(input: $input) { deletedId } }', {
        input: { id: globalId('WorkSchedule', id) },
      });
      return {
        response,
        verify: async (allowed) => {
          expect(await sql('SELECT id FROM work_schedules WHERE id = $1', [id])).toHaveLength(allowed ? 0 : 1);
          if (allowed) expect(response.data).toEqual({ deleteWorkSchedule: { deletedId: globalId('WorkSchedule', id) } });
        },
      };
    },
  };
}

/** Adds a new user to, and removes another from, the meeting `organiser()` organises. */
function attendanceRow(whose: string, organiser: () => number, outcomes: WriteRow['outcomes']): WriteRow {
  return {
    name: `updateTeamMeetingAttendance (${whose})`,
    covers: ['Mutation.updateTeamMeetingAttendance'],
    outcomes,
    attempt: async (_actor, slot) => {
      const [meeting] = await sql<{ id: number }>('SELECT id FROM team_meetings WHERE organizer_id = $1 ORDER BY id LIMIT 1', [
        organiser(),
      ]);
      const person = (label: string) =>
        api.db.prisma.user.create({
          data: { email: `matrix-${slot}-${label}@example.com`, name: `Matrix ${slot} ${label}`, city: 'Berlin', country: 'DE' },
          select: { id: true },
        });
      const [joiner, leaver] = [await person('joins'), await person('leaves')];
      await api.db.prisma.teamMeeting.update({ where: { id: meeting!.id }, data: { attendees: { connect: { id: leaver.id } } } });
      const response = await api.graphql(
        'mutation($input: UpdateTeamMeetingAttendanceInput!) { updateTeamMeetingAttendance(input: $input) { teamMeeting { id } } }',
        {
          input: {
            meetingId: globalId('TeamMeeting', meeting!.id),
            add: [globalId('User', joiner.id)],
            remove: [globalId('User', leaver.id)],
          },
        },
      );
      return {
        response,
        verify: async (allowed) => {
          const attending = await sql<{ user_id: number }>(
            'SELECT "B" AS user_id FROM "_MeetingAttendees" WHERE "A" = $1 AND "B" = ANY($2::int[])',
            [meeting!.id, [joiner.id, leaver.id]],
          );
          expect(attending).toEqual([{ user_id: allowed ? joiner.id : leaver.id }]);
          if (allowed)
            expect(response.data).toEqual({ updateTeamMeetingAttendance: { teamMeeting: { id: globalId('TeamMeeting', meeting!.id) } } });
        },
      };
    },
  };
}

// Columns: anonymous, SERVICE, EMPLOYEE, MANAGER, ANALYST, ADMIN.
/** Two summaries to read (written directly: generating them is the writes' business). */
async function ensureSummaries() {
  await sql(
    `INSERT INTO weekly_summaries (week, status, updated_at) VALUES ('2020-W01', 'SUCCEEDED', now()), ('2020-W02', 'QUEUED', now())
     ON CONFLICT (week) DO NOTHING`,
  );
}

const WRITES: WriteRow[] = [
  {
    name: 'generateWeeklyReport',
    covers: ['Mutation.generateWeeklyReport'],
    outcomes: [UNAUTHENTICATED, 'ok', FORBIDDEN, FORBIDDEN, FORBIDDEN, 'ok'],
    attempt: async (_actor, slot) => {
      const week = addWeeks('2019-W01', slot);
      const response = await api.graphql('mutation($week: IsoWeek) { generateWeeklyReport(week: $week) { summary { week } } }', { week });
      return {
        response,
        verify: async (allowed) => {
          await api.worker.idle();
          expect(await sql('SELECT week FROM weekly_summaries WHERE week = $1', [week])).toHaveLength(allowed ? 1 : 0);
          if (allowed) expect(response.data).toEqual({ generateWeeklyReport: { summary: { week } } });
        },
      };
    },
  },
  {
    name: 'submitWeeklyReport (own)',
    covers: ['Mutation.submitWeeklyReport'],
    outcomes: [UNAUTHENTICATED, FORBIDDEN, 'ok', 'ok', FORBIDDEN, 'ok'],
    attempt: async (actor, slot) => {
      const highlights = `access matrix ${slot} ${actor}`;
      const response = await api.graphql(
        'mutation($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { id week user { id } } } }',
        { input: { week: '2025-W10', workdays: 4, stressLevel: 3, highlights } },
      );
      return {
        response,
        verify: async (allowed) => {
          const rows = await sql<ReportRow>('SELECT id, user_id, week FROM weekly_reports WHERE highlights = $1', [highlights]);
          if (!allowed) return expect(rows).toEqual([]);
          const viewerId = userIdOf(cast, actor)!;
          expect(rows).toEqual([{ id: expect.any(Number), user_id: viewerId, week: '2025-W10' }]);
          expect(response.data).toEqual({
            submitWeeklyReport: {
              report: { id: globalId('WeeklyReport', rows[0]!.id), week: '2025-W10', user: { id: globalId('User', viewerId) } },
            },
          });
        },
      };
    },
  },
  createScheduleRow('own', [UNAUTHENTICATED, FORBIDDEN, 'ok', 'ok', FORBIDDEN, 'ok']),
  createScheduleRow("MANAGER's report", [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, 'ok', FORBIDDEN, 'ok']),
  createScheduleRow('another team', [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 'ok']),
  updateScheduleRow('own', [UNAUTHENTICATED, FORBIDDEN, 'ok', 'ok', FORBIDDEN, 'ok']),
  updateScheduleRow("MANAGER's report", [UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, 'ok', FORBIDDEN, 'ok']),
  updateScheduleRow('another team', [UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, 'ok']),
  deleteScheduleRow('own', [UNAUTHENTICATED, FORBIDDEN, 'ok', 'ok', FORBIDDEN, 'ok']),
  deleteScheduleRow("MANAGER's report", [UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, 'ok', FORBIDDEN, 'ok']),
  deleteScheduleRow('another team', [UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, 'ok']),
  {
    name: 'createTeamMeeting',
    covers: ['Mutation.createTeamMeeting'],
    outcomes: [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, 'ok', FORBIDDEN, 'ok'],
    attempt: async (actor, slot) => {
      const title = `Matrix meeting ${slot} ${actor}`;
      const response = await api.graphql(
        'mutation($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title organizer { id } } } }',
        { input: { title, startsAt: '2027-03-01T09:00:00Z', durationMinutes: 30, city: 'Berlin' } },
      );
      return {
        response,
        verify: async (allowed) => {
          const rows = await sql<{ id: number; organizer_id: number }>('SELECT id, organizer_id FROM team_meetings WHERE title = $1', [
            title,
          ]);
          if (!allowed) return expect(rows).toEqual([]);
          const viewerId = userIdOf(cast, actor)!;
          expect(rows).toEqual([{ id: expect.any(Number), organizer_id: viewerId }]);
          expect(response.data).toEqual({
            createTeamMeeting: {
              teamMeeting: { id: globalId('TeamMeeting', rows[0]!.id), title, organizer: { id: globalId('User', viewerId) } },
            },
          });
        },
      };
    },
  },
  attendanceRow("MANAGER's meeting", () => cast.manager, [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, 'ok', FORBIDDEN, 'ok']),
  attendanceRow("another manager's meeting", () => cast.otherManager, [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, 'ok']),
];

/** A refused call: the documented code, no data (null, or only null fields), and HTTP 401 for a missing identity. */
function expectRefused(response: GraphQLResponse, code: Refusal): void {
  expectErrorCode(response, code);
  expect(
    Object.values(response.data ?? {}).filter((value) => value !== null),
    JSON.stringify(response),
  ).toEqual([]);
  if (code === UNAUTHENTICATED) expect(response.status).toBe(401);
}

async function visibleIds(scope: ReadScope, viewerId: number): Promise<Set<number>> {
  if (scope === 'noSummaries') return new Set();
  if (scope === 'summaries') return new Set((await sql<{ id: number }>('SELECT id FROM weekly_summaries')).map((r) => r.id));
  if (MEETING_SCOPES.includes(scope)) return meetingsIn(api, scope as MeetingScope, viewerId);
  return peopleIn(api, scope === 'publicProfiles' ? 'everyone' : (scope as PeopleScope), viewerId);
}

/** The matrix flattened to one case per operation and actor. */
const cases = <R extends { name: string; outcomes: PerActor<string> }>(rows: R[]) =>
  rows.flatMap((row) => ACTORS.map((actor, i) => ({ name: row.name, actor, outcome: row.outcomes[i] as R['outcomes'][number], row })));

describe('reads', () => {
  it.each(cases(READS))('$name as $actor: $outcome', async ({ row, actor, outcome }) => {
    actAs(api, cast, actor);
    const { query, variables } = await row.request();
    const response = await api.graphql(query, variables);
    if (REFUSALS.includes(outcome)) return expectRefused(response, outcome as Refusal);
    expectNoGraphQLErrors(response, query, variables);
    const viewerId = userIdOf(cast, actor)!;
    expect(response.data).toEqual(await row.expected(await visibleIds(outcome as ReadScope, viewerId)));
    if (PEOPLE_SCOPES.includes(outcome)) {
      // Belt and braces: no private address outside the scope appears anywhere in the response.
      const body = JSON.stringify(response);
      const leaked = (await emailsOutside(api, outcome as PeopleScope, viewerId)).filter((email) => body.includes(email));
      expect(leaked).toEqual([]);
    }
  });
});

describe('writes', () => {
  // Each case gets its own day, title and people (its slot), so cases never meet each other's rows.
  it.each(cases(WRITES).map((c, slot) => ({ ...c, slot })))('$name as $actor: $outcome', async ({ row, actor, outcome, slot }) => {
    actAs(api, cast, actor);
    const { response, verify } = await row.attempt(actor, slot);
    if (outcome === 'ok') expectNoGraphQLErrors(response);
    else expectRefused(response, outcome);
    await verify(outcome === 'ok');
  });
});

describe('the matrix covers the schema', () => {
  const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
  const covered = new Set([...READS, ...WRITES].flatMap((row) => row.covers));
  const coordinates = (type: GraphQLNamedType | null | undefined) =>
    type && (isObjectType(type) || isInterfaceType(type))
      ? Object.values(type.getFields()).map((f) => ({ coordinate: `${type.name}.${f.name}`, field: f }))
      : [];

  it('has rows for every Query and Mutation field', () => {
    const roots = [...coordinates(schema.getQueryType()), ...coordinates(schema.getMutationType())].map((f) => f.coordinate);
    expect(roots.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('has rows for every field that leads from a node to other rows, and for every private User field', () => {
    const node = schema.getType('Node');
    const isNode = (type: GraphQLNamedType) =>
      isObjectType(type) && node !== undefined && type.getInterfaces().some((i) => i.name === node.name);
    const nodeTypes = Object.values(schema.getTypeMap()).filter(isNode);
    const risky = nodeTypes.flatMap(coordinates).filter(({ field, coordinate }) => {
      const target = getNamedType(field.type);
      const leadsToRows = isNode(target) || target.name.endsWith('Connection');
      const privateUserField = coordinate.startsWith('User.') && isNullableType(field.type);
      return leadsToRows || privateUserField;
    });
    expect(risky.length).toBeGreaterThan(10);
    expect(risky.map((f) => f.coordinate).filter((c) => !covered.has(c))).toEqual([]);
  });

  it('names only fields that exist', () => {
    const all = new Set(
      Object.values(schema.getTypeMap())
        .flatMap(coordinates)
        .map((f) => f.coordinate),
    );
    expect([...covered].filter((c) => !all.has(c))).toEqual([]);
  });
});
