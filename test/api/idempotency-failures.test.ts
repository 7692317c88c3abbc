// Idempotency keys when things go wrong: a mutation that outlives the request timeout still finishes and
// its real outcome is what a retry with the key gets; a key on a batched request is refused up front.
import { describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../kit/api.js';
import { testDatabaseMode } from '../kit/database.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api, team } = setupTestApi({ limits: { requestTimeoutMs: 1_000, batching: 3 }, team: { users: 12, weeks: 1 } });

const CREATE = graphql(
  `mutation IdempotencyFailuresCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }`,
);
const meeting = (title: string) => ({ input: { title, startsAt: '2026-12-10T10:00:00Z', durationMinutes: 30, city: 'Berlin' } });
const count = async (title: string) =>
  (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM team_meetings WHERE title = $1', [title]))[0]!.n;

// A table lock from another session holds the mutation past the deadline (PGlite has one session).
describe.runIf(testDatabaseMode() === 'postgres')('a mutation that outlives the request timeout', () => {
  it('answers 503 in time, finishes anyway, and a retry with the key gets what it did', async () => {
    api.actAs(team.managerIds[0]!);
    const headers = { 'idempotency-key': 'slow-meeting-1' };
    let first: GraphQLResponse | undefined;
    await api.db.sql.transaction(async (tx) => {
      await tx.exec('LOCK TABLE team_meetings IN ACCESS EXCLUSIVE MODE');
      first = await api.graphql(CREATE, meeting('Slow'), headers);
    });
    expect(first!.status).toBe(503);
    expect(first!.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TIMEOUT']);
    // Released, the mutation commits once and its result is recorded for the key.
    await expect.poll(() => count('Slow'), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(async () => (await api.db.sql.query("SELECT completed_at FROM idempotency_keys WHERE key = 'slow-meeting-1'"))[0], {
        timeout: 10_000,
      })
      .toMatchObject({ completed_at: expect.any(Date) });
    const retry = await api.graphql(CREATE, meeting('Slow'), headers);
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.createTeamMeeting.teamMeeting.title).toBe('Slow');
    expect(retry.extensions?.idempotency).toEqual({ replayed: true });
    expect(await count('Slow')).toBe(1);
  });
});

describe('a batched request', () => {
  it('with an Idempotency-Key is refused before anything runs', async () => {
    const response = await api.request([{ query: CREATE, variables: meeting('Batched') }], {
      as: team.managerIds[0]!,
      headers: { 'idempotency-key': 'batch-1' },
    });
    expect(response.status).toBe(400);
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(await count('Batched')).toBe(0);
    expect(await api.db.sql.query("SELECT key FROM idempotency_keys WHERE key = 'batch-1'")).toEqual([]);
  });
});
