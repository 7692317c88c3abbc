// Batched requests (a JSON array of operations) are refused unless BATCHING_LIMIT enables them, and then
// capped; every operation of a batch meets the same limits as a single one.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const MUTATION =
  'mutation { createWorkSchedule(input: { date: "2026-12-03", startsAt: "2026-12-03T08:00:00Z", endsAt: "2026-12-03T16:00:00Z" }) { workSchedule { id } } }';

const { api, team } = setupTestApi({ team: { users: 12, weeks: 1 } });

const schedules = async () => (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM work_schedules'))[0]!.n;

describe('by default', () => {
  it('refuses a batch with 400 and runs none of it', async () => {
    expect(loadConfig({}).limits.batching).toBe(0);
    const before = await schedules();
    const response = await api.request([{ query: MUTATION }, { query: '{ me { name } }' }], { as: team.adminId });
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toBe('Batching is not supported.');
    expect(response.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
    expect(await schedules()).toBe(before);
  });
});

describe('with BATCHING_LIMIT=3', () => {
  it('is what BATCHING_LIMIT=3 configures', () => {
    expect(loadConfig({ BATCHING_LIMIT: '3' }).limits.batching).toBe(3);
  });
  const { api: batching } = setupTestApi(() => ({ db: api.db, limits: { batching: 3 }, team: false }));

  it('runs up to 3 operations and answers each in order', async () => {
    const response = await batching.request(
      [
        { query: graphql(`query BatchingMe { me { name } }`) },
        { query: graphql(`query BatchingUserCount { users(first: 1) { totalCount } }`) },
        { query: graphql(`query BatchingTypename { __typename }`) },
      ],
      { as: team.adminId },
    );
    expect(response.status).toBe(200);
    expect(response.results).toHaveLength(3);
    expect(response.results![0]!.data?.me.name).toBeTruthy();
    expect(response.results![1]!.data?.users.totalCount).toBe(12);
    expect(response.results![2]!.data?.__typename).toBe('Query');
  });

  it('refuses 4 with 413 and runs none of them', async () => {
    const before = await schedules();
    const response = await batching.request([{ query: MUTATION }, { query: MUTATION }, { query: MUTATION }, { query: MUTATION }], {
      as: team.adminId,
    });
    expect(response.status).toBe(413);
    expect(response.errors![0]!.message).toMatch(/limited to 3/);
    expect(await schedules()).toBe(before);
  });

  it('holds every operation of a batch to the cost limit', async () => {
    const tooMuch =
      '{ users(first: 100) { edges { node { directReports(first: 100) { edges { node { reports(first: 100) { edges { node { week } } } } } } } } } }';
    const response = await batching.request([{ query: graphql(`query BatchingMeBesideTooMuch { me { name } }`) }, { query: tooMuch }], {
      as: team.adminId,
    });
    expect(response.results![0]!.data?.me.name).toBeTruthy();
    expect(response.results![1]!.errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
  });
});
