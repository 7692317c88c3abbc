// Nothing a user wrote reaches the logs, and an expected client error is not a server error: a rejected
// submit (bad variables, a bad inline literal, a rule of the service) logs no error or warning line and
// none of its text at any level; an unexpected error is still logged as one, with its request id.
import { beforeEach, describe, expect, it } from 'vitest';
import { isoWeekIn } from '../../src/domain/iso-week.js';
import { expectErrorCode } from '../kit/api.js';
import { captureLogs } from '../kit/logs.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { logger, lines, clear: clearLogs } = captureLogs('trace');

const { api, team } = setupTestApi({ logger, team: { users: 12, weeks: 2 } });
beforeEach(() => {
  clearLogs();
});

const SECRET = 'my manager shouts at me daily';
const SUBMIT = 'mutation($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { id } } }';

describe('a rejected submit', () => {
  it.each([
    [
      'a rule of the service (stress 11)',
      () => api.graphql(SUBMIT, { input: { week: isoWeekIn('UTC'), workdays: 5, stressLevel: 11, highlights: SECRET } }),
    ],
    [
      'a variable of the wrong type',
      () => api.graphql(SUBMIT, { input: { week: isoWeekIn('UTC'), workdays: 'five', stressLevel: 4, highlights: SECRET } }),
    ],
    [
      'an inline literal',
      () =>
        api.graphql(
          `mutation { submitWeeklyReport(input: { week: "not a week", workdays: 5, stressLevel: 4, highlights: "${SECRET}" }) { report { id } } }`,
        ),
    ],
    [
      'an unknown input field',
      () => api.graphql(SUBMIT, { input: { week: isoWeekIn('UTC'), workdays: 5, stressLevel: 4, highlights: SECRET, userId: 'VXNlcjox' } }),
    ],
  ])('%s: no warning or error line, and nothing it said', async (_name, send) => {
    api.actAs(team.userIds[3]!);
    const response = await send();
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.status).toBeLessThan(500);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(SECRET);
    expect(lines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([]);
  });
});

describe('an unexpected error', () => {
  it('is still logged at error level with its request id', async () => {
    api.actAs(team.adminId);
    // A table the query needs, gone: the database's error is the server's fault, not the client's.
    await api.db.sql.exec('ALTER TABLE team_meetings RENAME TO team_meetings_away');
    try {
      const response = await api.graphql('{ teamMeetings(first: 1) { edges { node { id } } } }');
      const requestId = expectErrorCode(response, 'INTERNAL_SERVER_ERROR') && response.errors![0]!.extensions!.requestId;
      expect(lines.some((line) => line.level === 50 && line.requestId === requestId)).toBe(true);
    } finally {
      await api.db.sql.exec('ALTER TABLE team_meetings_away RENAME TO team_meetings');
    }
  });
});
