// A download link opens its download and nothing else, and a session token is never a download link: an
// `exportUrl` link's token sent as a bearer is refused by /graphql and by the export route's bearer path,
// and a session token in the link's `token=` is refused by the export route, with and without JWT_AUDIENCE.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectErrorCode, expectNoGraphQLErrors, ORIGIN } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

describe.each([
  ['without JWT_AUDIENCE', undefined],
  ['with JWT_AUDIENCE', 'weekly-pulse'],
])('token kinds %s', (_name, audience) => {
  const { api, team } = setupTestApi({ auth: { audience }, team: { users: 12, weeks: 2 }, actAs: 'admin' });
  let linkToken: string;
  beforeAll(async () => {
    const link = await api.graphql(graphql(`query TokenKindsExportUrl { exportUrl }`));
    expectNoGraphQLErrors(link);
    linkToken = new URL(link.data.exportUrl, ORIGIN).searchParams.get('token')!;
    expect(linkToken).toMatch(/^ey/);
  });

  const download = (query: string, headers: Record<string, string> = {}) =>
    api.yoga.fetch(`${ORIGIN}/export/weekly-reports.csv${query}`, { headers });

  it('the link opens its download', async () => {
    const response = await download(`?token=${linkToken}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/report_id,week/);
  });

  it('the link token is no login: /graphql refuses it as a bearer', async () => {
    api.actAs(null);
    const response = await api.graphql('{ me { id } }', undefined, { authorization: `Bearer ${linkToken}` });
    expect(response.status).toBe(401);
    expectErrorCode(response, 'UNAUTHENTICATED');
    // Not even a mutation an ADMIN could make.
    const write = await api.graphql(
      'mutation { createTeamMeeting(input: { title: "x", startsAt: "2026-12-10T10:00:00Z", durationMinutes: 30, city: "Berlin" }) { teamMeeting { id } } }',
      undefined,
      { authorization: `Bearer ${linkToken}` },
    );
    expect(write.status).toBe(401);
  });

  it('the export route refuses the link token as a bearer', async () => {
    const response = await download('', { authorization: `Bearer ${linkToken}` });
    expect(response.status).toBe(401);
  });

  it('a session token is no link: the export route refuses it in token=', async () => {
    const session = await api.tokenFor(team.adminId);
    const response = await download(`?token=${session}`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    // The same session token still works where it belongs.
    expect((await download('', { authorization: `Bearer ${session}` })).status).toBe(200);
  });
});
