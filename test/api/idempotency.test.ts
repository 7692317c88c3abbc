// Idempotency-Key on mutations: replayed within 24 h, refused with other input, conflict while running,
// and per caller.
import { expect, it } from 'vitest';
import { expectErrorCode, expectNoGraphQLErrors } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api, team } = setupTestApi({ team: { users: 12, weeks: 2 } });

const CREATE = graphql(
  `mutation IdempotencyCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }`,
);
const meeting = (title: string) => ({ input: { title, startsAt: '2026-12-10T10:00:00Z', durationMinutes: 30, city: 'Berlin' } });
const meetingsTitled = async (title: string) =>
  (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM team_meetings WHERE title = $1', [title]))[0]!.n;

it('replays the stored response for the same key and input, without running again', async () => {
  api.actAs(team.managerIds[0]!);
  const headers = { 'idempotency-key': 'create-sync-1' };
  const first = await api.graphql(CREATE, meeting('Idempotent sync'), headers);
  const second = await api.graphql(CREATE, meeting('Idempotent sync'), headers);
  expectNoGraphQLErrors(first);
  expectNoGraphQLErrors(second);
  expect(second.data).toEqual(first.data);
  expect(second.extensions?.idempotency).toEqual({ replayed: true });
  expect(await meetingsTitled('Idempotent sync')).toBe(1);
});

it('refuses the same key with different input, and writes nothing', async () => {
  api.actAs(team.managerIds[0]!);
  const headers = { 'idempotency-key': 'create-sync-2' };
  expectNoGraphQLErrors(await api.graphql(CREATE, meeting('Original'), headers));
  const reused = await api.graphql(CREATE, meeting('Something else'), headers);
  expect(reused.status).toBe(422);
  expectErrorCode(reused, 'IDEMPOTENCY_KEY_REUSED');
  expect(await meetingsTitled('Something else')).toBe(0);
});

it('lets exactly one of concurrent duplicates run; the others conflict or replay it', async () => {
  api.actAs(team.managerIds[0]!);
  const token = await api.tokenFor(team.managerIds[0]!);
  const headers = { 'idempotency-key': 'create-sync-3', authorization: `Bearer ${token}` };
  const responses = await Promise.all(Array.from({ length: 10 }, () => api.graphql(CREATE, meeting('Concurrent sync'), headers)));
  expect(await meetingsTitled('Concurrent sync')).toBe(1);
  const ids = new Set<string>();
  for (const response of responses) {
    if (response.errors) {
      expect(response.status).toBe(409);
      expectErrorCode(response, 'CONFLICT');
    } else {
      expectNoGraphQLErrors(response);
      ids.add(response.data.createTeamMeeting.teamMeeting.id);
    }
  }
  expect(ids.size).toBe(1);
});

it('keeps keys apart per caller, and ignores the header on queries', async () => {
  const headers = { 'idempotency-key': 'shared-key' };
  api.actAs(team.managerIds[0]!);
  expectNoGraphQLErrors(await api.graphql(CREATE, meeting('Per caller A'), headers));
  api.actAs(team.adminId);
  const other = await api.graphql(CREATE, meeting('Per caller B'), headers);
  expectNoGraphQLErrors(other);
  expect(other.extensions?.idempotency).toBeUndefined();
  expect(await meetingsTitled('Per caller B')).toBe(1);
  const query = await api.graphql('{ me { id } }', undefined, headers);
  expectNoGraphQLErrors(query);
  const [row] = await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', ['shared-key']);
  expect(row!.n).toBe(2);
});

it('stores refusals too, and rejects malformed keys', async () => {
  api.actAs(team.userIds[3]!); // an EMPLOYEE may not create meetings
  const headers = { 'idempotency-key': 'refused-1' };
  expectErrorCode(await api.graphql(CREATE, meeting('Refused'), headers), 'FORBIDDEN');
  const replay = await api.graphql(CREATE, meeting('Refused'), headers);
  expectErrorCode(replay, 'FORBIDDEN');
  expect(replay.extensions?.idempotency).toEqual({ replayed: true });
  expectErrorCode(await api.graphql(CREATE, meeting('Refused'), { 'idempotency-key': 'x'.repeat(201) }), 'BAD_USER_INPUT');
});
