// Batched requests (a JSON array of operations) are refused unless BATCHING_LIMIT enables them, and then
// capped; every operation of a batch meets the same limits as a single one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { GRAPHQL_PATH } from '../../src/server/create-server.js';
import { startTestApi, type TestApi } from '../kit/api.js';
import { seedTeam, type TeamScenario } from '../kit/scenarios.js';

const MUTATION = 'mutation { createWorkSchedule(input: { date: "2026-12-03", startsAt: "2026-12-03T08:00:00Z", endsAt: "2026-12-03T16:00:00Z" }) { workSchedule { id } } }';

let api: TestApi;
let team: TeamScenario;
beforeAll(async () => {
  api = await startTestApi();
  team = await seedTeam(api.db, { users: 12, weeks: 1 });
});
afterAll(() => api?.close());

async function postBatch(client: TestApi, operations: { query: string; variables?: Record<string, unknown> }[]) {
  const response = await client.yoga.fetch(`http://localhost${GRAPHQL_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${await client.tokenFor(team.adminId)}` },
    body: JSON.stringify(operations),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const schedules = async () => (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM work_schedules'))[0]!.n;

describe('by default', () => {
  it('refuses a batch with 400 and runs none of it', async () => {
    expect(loadConfig({}).limits.batching).toBe(0);
    const before = await schedules();
    const response = await postBatch(api, [{ query: MUTATION }, { query: '{ me { name } }' }]);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toBe('Batching is not supported.');
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(await schedules()).toBe(before);
  });
});

describe('with BATCHING_LIMIT=3', () => {
  let batching: TestApi;
  beforeAll(async () => {
    expect(loadConfig({ BATCHING_LIMIT: '3' }).limits.batching).toBe(3);
    batching = await startTestApi({ db: api.db, limits: { batching: 3 } });
  });
  afterAll(() => batching?.close());

  it('runs up to 3 operations and answers each in order', async () => {
    const response = await postBatch(batching, [{ query: '{ me { name } }' }, { query: '{ users(first: 1) { totalCount } }' }, { query: '{ __typename }' }]);
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(3);
    expect(response.body[0].data.me.name).toBeTruthy();
    expect(response.body[1].data.users.totalCount).toBe(12);
    expect(response.body[2].data.__typename).toBe('Query');
  });

  it('refuses 4 with 413 and runs none of them', async () => {
    const before = await schedules();
    const response = await postBatch(batching, [{ query: MUTATION }, { query: MUTATION }, { query: MUTATION }, { query: MUTATION }]);
    expect(response.status).toBe(413);
    expect(response.body.errors[0].message).toMatch(/limited to 3/);
    expect(await schedules()).toBe(before);
  });

  it('holds every operation of a batch to the cost limit', async () => {
    const tooMuch = '{ users(first: 100) { edges { node { directReports(first: 100) { edges { node { reports(first: 100) { edges { node { week } } } } } } } } } }';
    const response = await postBatch(batching, [{ query: '{ me { name } }' }, { query: tooMuch }]);
    expect(response.body[0].data.me.name).toBeTruthy();
    expect(response.body[1].errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});
