// The write side: validated input, typed payloads, stable error codes, one transaction per write.
import { describe, expect, it } from 'vitest';
import { isoWeekOf, addWeeks } from '../../src/domain/iso-week.js';
import { expectErrorCode, expectNoGraphQLErrors } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { globalId } from '../kit/global-id.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api, team } = setupTestApi({ team: { users: 30, weeks: 2 } });
const thisWeek = isoWeekOf(new Date());

const SUBMIT = graphql(`mutation MutationsSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) {
  report { id week workdays stressLevel highlights blockers hrMetrics { hires } opsMetrics { incidents } user { id } } } }`);

const count = async (sql: string, params: unknown[] = []) =>
  (await api.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

describe('submitWeeklyReport', () => {
  const employee = () => team.userIds[3]!;
  const base = { workdays: 5, stressLevel: 4, highlights: 'Closed the quarter' };

  it('creates the viewer’s report, then updates the same one on resubmission', async () => {
    api.actAs(employee());
    const week = addWeeks(thisWeek, -10);
    const first = await api.graphql(SUBMIT, { input: { ...base, week, hrMetrics: { interviews: 1, offers: 1, hires: 1, attritions: 0 } } });
    expectNoGraphQLErrors(first);
    expect(first.data.submitWeeklyReport.report).toMatchObject({
      week,
      workdays: 5,
      stressLevel: 4,
      hrMetrics: { hires: 1 },
      opsMetrics: null,
      user: { id: globalId('User', employee()) },
    });

    // Omitted metrics stay; null removes them; new values replace.
    const second = await api.graphql(SUBMIT, {
      input: {
        ...base,
        week,
        stressLevel: 9,
        blockers: 'Flaky CI',
        opsMetrics: { ordersProcessed: 3, tasksCompleted: 4, incidents: 2, slaBreaches: 0 },
      },
    });
    expectNoGraphQLErrors(second);
    expect(second.data.submitWeeklyReport.report).toMatchObject({
      id: first.data.submitWeeklyReport.report.id,
      stressLevel: 9,
      blockers: 'Flaky CI',
      hrMetrics: { hires: 1 },
      opsMetrics: { incidents: 2 },
    });
    const third = await api.graphql(SUBMIT, { input: { ...base, week, hrMetrics: null } });
    expectNoGraphQLErrors(third);
    expect(third.data.submitWeeklyReport.report).toMatchObject({ hrMetrics: null, opsMetrics: { incidents: 2 }, blockers: null });
    expect(await count('weekly_reports WHERE user_id = $1 AND week = $2', [employee(), week])).toBe(1);
  });

  it.each([
    ['a future week', { week: addWeeks(thisWeek, 1) }, 'input.week'],
    ['stress 11', { stressLevel: 11 }, 'input.stressLevel'],
    ['stress 0', { stressLevel: 0 }, 'input.stressLevel'],
    ['8 workdays', { workdays: 8 }, 'input.workdays'],
    ['empty highlights', { highlights: '   ' }, 'input.highlights'],
    ['over-long highlights', { highlights: 'x'.repeat(4001) }, 'input.highlights'],
    ['over-long blockers', { blockers: 'x'.repeat(4001) }, 'input.blockers'],
    ['negative hires', { hrMetrics: { interviews: 0, offers: 0, hires: -1, attritions: 0 } }, 'input.hrMetrics.hires'],
  ])('rejects %s with BAD_USER_INPUT naming the field, and writes nothing', async (_name, change, field) => {
    api.actAs(employee());
    const before = await count('weekly_reports');
    const response = await api.graphql(SUBMIT, { input: { ...base, week: addWeeks(thisWeek, -20), ...change } });
    expectErrorCode(response, 'BAD_USER_INPUT');
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(response.errors![0]!.message).toContain(field);
    expect(await count('weekly_reports')).toBe(before);
  });

  it('refuses ANALYST and SERVICE, and anonymous callers', async () => {
    const analyst = team.userIds.find((_, i) => i % 17 === 5)!;
    for (const [actor, code] of [
      [analyst, 'FORBIDDEN'],
      ['service', 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      api.actAs(actor);
      expectErrorCode(await api.graphql(SUBMIT, { input: { ...base, week: addWeeks(thisWeek, -1) } }), code);
    }
  });

  it('leaves exactly one report with one write’s values after 20 concurrent submits of the same week', async () => {
    const user = team.userIds[4]!;
    api.actAs(user);
    const week = addWeeks(thisWeek, -30);
    const token = await api.tokenFor(user);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.graphql(
          SUBMIT,
          {
            input: {
              ...base,
              week,
              stressLevel: 1 + (i % 10),
              highlights: `run ${i}`,
              hrMetrics: { interviews: i, offers: 0, hires: 0, attritions: 0 },
            },
          },
          { authorization: `Bearer ${token}` },
        ),
      ),
    );
    for (const r of responses) expectNoGraphQLErrors(r);
    const rows = await api.db.sql.query<{ highlights: string; stress_level: number; interviews: number }>(
      `SELECT r.highlights, r.stress_level, h.interviews FROM weekly_reports r LEFT JOIN hr_metrics h ON h.report_id = r.id
       WHERE r.user_id = $1 AND r.week = $2`,
      [user, week],
    );
    expect(rows).toHaveLength(1);
    // The report and its metrics come from the same (last committed) write, never a mix of two.
    const i = Number(rows[0]!.highlights.replace('run ', ''));
    expect(rows[0]).toEqual({ highlights: `run ${i}`, stress_level: 1 + (i % 10), interviews: i });
    expect(await count('hr_metrics h JOIN weekly_reports r ON r.id = h.report_id WHERE r.user_id = $1 AND r.week = $2', [user, week])).toBe(
      1,
    );
  });
});

describe('work schedules', () => {
  const CREATE = graphql(
    `mutation MutationsCreateSchedule($input: CreateWorkScheduleInput!) { createWorkSchedule(input: $input) { workSchedule { id date startsAt endsAt remote user { id } } } }`,
  );
  const UPDATE = graphql(
    `mutation MutationsUpdateSchedule($input: UpdateWorkScheduleInput!) { updateWorkSchedule(input: $input) { workSchedule { id remote endsAt } } }`,
  );
  const DELETE = graphql(
    `mutation MutationsDeleteSchedule($input: DeleteWorkScheduleInput!) { deleteWorkSchedule(input: $input) { deletedId } }`,
  );
  const day = { date: '2026-12-01', startsAt: '2026-12-01T08:00:00Z', endsAt: '2026-12-01T16:00:00Z' };

  it('lets a user create, update and delete their own schedule', async () => {
    const user = team.userIds[9]!; // an EMPLOYEE
    api.actAs(user);
    const created = await api.graphql(CREATE, { input: { ...day, remote: true } });
    expectNoGraphQLErrors(created);
    const schedule = created.data.createWorkSchedule.workSchedule;
    expect(schedule).toMatchObject({ date: '2026-12-01', remote: true, user: { id: globalId('User', user) } });

    expectErrorCode(await api.graphql(CREATE, { input: day }), 'CONFLICT');
    const updated = await api.graphql(UPDATE, { input: { id: schedule.id, remote: false, endsAt: '2026-12-01T17:30:00Z' } });
    expectNoGraphQLErrors(updated);
    expect(updated.data.updateWorkSchedule.workSchedule).toMatchObject({ remote: false, endsAt: '2026-12-01T17:30:00.000Z' });
    const deleted = await api.graphql(DELETE, { input: { id: schedule.id } });
    expectNoGraphQLErrors(deleted);
    expect(deleted.data.deleteWorkSchedule.deletedId).toBe(schedule.id);
    expectErrorCode(await api.graphql(DELETE, { input: { id: schedule.id } }), 'NOT_FOUND');
  });

  it.each([
    ['ends before it starts', { endsAt: '2026-12-01T07:00:00Z' }, 'input.endsAt'],
    ['lasts over 24 hours', { endsAt: '2026-12-02T09:00:00Z' }, 'input.endsAt'],
    ['starts on another day', { startsAt: '2026-12-05T08:00:00Z', endsAt: '2026-12-05T10:00:00Z' }, 'input.startsAt'],
  ])('rejects a schedule that %s', async (_name, change, field) => {
    api.actAs(team.userIds[6]!);
    const response = await api.graphql(CREATE, { input: { ...day, ...change } });
    expectErrorCode(response, 'BAD_USER_INPUT');
    expect(response.errors![0]!.extensions!.field).toBe(field);
  });

  it('lets a manager keep a direct report’s schedule, but not another team’s; an employee only their own', async () => {
    const [manager, otherManager] = team.managerIds;
    const report = team.userIds[7]!; // managed by the first manager
    api.actAs(manager!);
    const created = await api.graphql(CREATE, {
      input: {
        ...day,
        date: '2026-12-02',
        startsAt: '2026-12-02T08:00:00Z',
        endsAt: '2026-12-02T12:00:00Z',
        userId: globalId('User', report),
      },
    });
    expectNoGraphQLErrors(created);
    expect(created.data.createWorkSchedule.workSchedule.user.id).toBe(globalId('User', report));

    api.actAs(otherManager!);
    expectErrorCode(
      await api.graphql(CREATE, {
        input: {
          ...day,
          date: '2026-12-03',
          startsAt: '2026-12-03T08:00:00Z',
          endsAt: '2026-12-03T12:00:00Z',
          userId: globalId('User', report),
        },
      }),
      'FORBIDDEN',
    );
    expectErrorCode(await api.graphql(DELETE, { input: { id: created.data.createWorkSchedule.workSchedule.id } }), 'NOT_FOUND');

    api.actAs(team.userIds[8]!);
    expectErrorCode(await api.graphql(CREATE, { input: { ...day, userId: globalId('User', report) } }), 'FORBIDDEN');
    expectErrorCode(await api.graphql(CREATE, { input: { ...day, userId: globalId('WeeklyReport', 1) } }), 'BAD_USER_INPUT');
  });
});

describe('team meetings', () => {
  const CREATE = graphql(`mutation MutationsCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) {
    teamMeeting { id title organizer { id } attendees(first: 20) { totalCount edges { node { id } } } } } }`);
  const ATTEND =
    graphql(`mutation MutationsAttendMeeting($input: UpdateTeamMeetingAttendanceInput!) { updateTeamMeetingAttendance(input: $input) {
    teamMeeting { attendees(first: 20) { totalCount edges { node { id } } } } } }`);
  const meeting = { title: 'Planning', startsAt: '2026-12-07T10:00:00Z', durationMinutes: 45, city: 'Berlin' };

  it('lets a manager create a meeting with attendees and change attendance', async () => {
    const manager = team.managerIds[0]!;
    api.actAs(manager);
    const attendees = team.userIds.slice(1, 4);
    const created = await api.graphql(CREATE, { input: { ...meeting, attendeeIds: attendees.map((id) => globalId('User', id)) } });
    expectNoGraphQLErrors(created);
    const m = created.data.createTeamMeeting.teamMeeting;
    expect(m.organizer.id).toBe(globalId('User', manager));
    expect(m.attendees.totalCount).toBe(3);

    const changed = await api.graphql(ATTEND, {
      input: { meetingId: m.id, add: [globalId('User', team.userIds[9]!)], remove: [globalId('User', attendees[0]!)] },
    });
    expectNoGraphQLErrors(changed);
    expect(changed.data.updateTeamMeetingAttendance.teamMeeting.attendees.edges.map((e) => e.node.id).sort()).toEqual(
      [attendees[1]!, attendees[2]!, team.userIds[9]!].map((id) => globalId('User', id)).sort(),
    );

    // Another manager cannot touch it; an employee cannot create meetings.
    api.actAs(team.managerIds[1]!);
    expectErrorCode(await api.graphql(ATTEND, { input: { meetingId: m.id, add: [globalId('User', team.userIds[6]!)] } }), 'NOT_FOUND');
    api.actAs(team.userIds[3]!);
    expectErrorCode(await api.graphql(CREATE, { input: meeting }), 'FORBIDDEN');
  });

  it('writes nothing when an attendee is not an active user, or the input is out of range', async () => {
    api.actAs(team.managerIds[0]!);
    const before = await count('team_meetings');
    // A direct report: whether they are active is the manager's to know.
    const inactive = await api.db.prisma.user.create({
      data: { email: 'gone@example.com', name: 'Gone', city: 'Rome', country: 'IT', active: false, managerId: team.managerIds[0]! },
    });
    const bad = await api.graphql(CREATE, {
      input: { ...meeting, attendeeIds: [globalId('User', team.userIds[2]!), globalId('User', inactive.id)] },
    });
    expectErrorCode(bad, 'BAD_USER_INPUT');
    expect(bad.errors![0]!.extensions!.field).toBe('input.attendeeIds');
    const tooLong = await api.graphql(CREATE, { input: { ...meeting, durationMinutes: 2000 } });
    expect(expectErrorCode(tooLong, 'BAD_USER_INPUT')).toMatch(/durationMinutes/);
    expect(await count('team_meetings')).toBe(before);
  });

  it('answers alike for active and inactive people outside the team: whether they are active is not the organiser’s to know', async () => {
    api.actAs(team.managerIds[0]!);
    const outsider = (active: boolean) =>
      api.db.prisma.user.create({
        data: { email: `outsider-${active}@example.com`, name: 'Outsider', city: 'Rome', country: 'IT', active, managerId: null },
      });
    const [on, off] = [await outsider(true), await outsider(false)];
    // Neither's `active` is visible to this manager...
    const seen = await api.graphql(
      'query($a: ID!, $b: ID!) { a: node(id: $a) { ... on User { active } } b: node(id: $b) { ... on User { active } } }',
      {
        a: globalId('User', on.id),
        b: globalId('User', off.id),
      },
    );
    expectNoGraphQLErrors(seen);
    expect(seen.data).toEqual({ a: { active: null }, b: { active: null } });
    // ...so neither creating a meeting nor changing who attends may tell them apart.
    for (const user of [on, off]) {
      const created = await api.graphql(CREATE, {
        input: { ...meeting, title: `With ${user.email}`, attendeeIds: [globalId('User', user.id)] },
      });
      expectNoGraphQLErrors(created);
      const changed = await api.graphql(ATTEND, {
        input: { meetingId: created.data.createTeamMeeting.teamMeeting.id, add: [globalId('User', user.id)] },
      });
      expectNoGraphQLErrors(changed);
    }
  });
});
