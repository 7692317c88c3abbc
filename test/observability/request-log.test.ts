// One structured log line per GraphQL request (request id, operation, viewer, duration, cache, SQL
// statements, status; never a token), and a masked error's request id is the one in the log.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectErrorCode, expectNoGraphQLErrors, ORIGIN, startTestApi, type GraphQLResponse } from '../kit/api.js';
import { captureLogs, type LogLine } from '../kit/logs.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { logger, lines, clear: clearLogs } = captureLogs('info');
/** The line src/server/use-request-log.ts writes. */
interface RequestLogLine extends LogLine {
  requestId: string;
  operationName: string | null;
  operations?: number;
  viewerId: number | 'service' | null;
  durationMs: number;
  cache: 'hit' | 'miss' | 'none';
  sqlStatements: number;
  status: number;
  errorCodes?: string[];
}
const requestLines = () => lines.filter((l): l is RequestLogLine => l.msg === 'graphql request');

const { api, team } = setupTestApi({ logger, team: { users: 12, weeks: 2 } });
const { api: cached } = setupTestApi(() => ({ db: api.db, logger, responseCache: {}, team: false }));
beforeEach(() => {
  clearLogs();
  api.actAs(null);
  cached.actAs(null);
});

/** Every statement the database runs while `fn` does. */
async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  let statements = 0;
  const stop = api.db.onQuery(() => statements++);
  try {
    return { result: await fn(), statements };
  } finally {
    stop();
  }
}

describe('the request log', () => {
  it('writes one line per request with its id, operation, viewer, duration, SQL count and status, and no token', async () => {
    api.actAs(team.adminId);
    const token = await api.tokenFor(team.adminId);
    const { result: response, statements } = await countStatements(() =>
      api.graphql('query TeamPage { users(first: 3) { totalCount edges { node { name } } } }', undefined, {
        authorization: `Bearer ${token}`,
      }),
    );
    expectNoGraphQLErrors(response);
    const logged = requestLines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 30,
      requestId: response.headers.get('x-request-id'),
      operationName: 'TeamPage',
      viewerId: team.adminId,
      cache: 'none',
      status: 200,
    });
    // The authentication lookup, the page and its count: what the database really ran for this request.
    expect(logged[0]!.sqlStatements).toBe(statements);
    expect(statements).toBeGreaterThanOrEqual(3);
    expect(logged[0]!.durationMs).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(JSON.stringify(lines)).not.toMatch(/authorization|bearer/i);
  });

  it('names an operation sent without operationName from its document, and unnamed ones null', async () => {
    api.actAs(team.adminId);
    await api.graphql('query Headcount { users { totalCount } }');
    await api.graphql('{ users { totalCount } }');
    expect(requestLines().map((l) => l.operationName)).toEqual(['Headcount', 'anonymous']);
  });

  it('logs refused requests too: no viewer, their status and error code', async () => {
    const response = await api.graphql('query Sneaky { users { totalCount } }', undefined, { authorization: 'Bearer not.a.token' });
    expectErrorCode(response, 'UNAUTHENTICATED');
    expect(requestLines()).toEqual([
      // Refused before the document is read: only an operationName the client sends would name it.
      expect.objectContaining({ operationName: 'anonymous', viewerId: null, status: 401, errorCodes: ['UNAUTHENTICATED'] }),
    ]);
  });

  it('says whether the response cache answered', async () => {
    cached.actAs(team.userIds[3]!);
    const query = 'query Me { me { name } }';
    expectNoGraphQLErrors(await cached.graphql(query));
    expectNoGraphQLErrors(await cached.graphql(query));
    const logged = requestLines();
    expect(logged.map((l) => [l.cache, l.viewerId])).toEqual([
      ['miss', team.userIds[3]],
      ['hit', team.userIds[3]],
    ]);
    // A hit runs no query of its own: at most the authentication lookup.
    expect(logged[1]!.sqlStatements).toBeLessThan(logged[0]!.sqlStatements);
  });

  it('logs a batch as one request, naming each operation', async () => {
    const batching = await startTestApi({ db: api.db, logger, limits: { batching: 5 } });
    try {
      const response = await batching.request(
        [{ query: 'query First { me { name } }', operationName: 'First' }, { query: '{ __typename }' }],
        { as: team.adminId },
      );
      expect(response.status).toBe(200);
      expect(requestLines()).toEqual([
        expect.objectContaining({ operationName: 'First,anonymous', operations: 2, viewerId: team.adminId, status: 200 }),
      ]);
    } finally {
      await batching.close();
    }
  });

  it('logs nothing for non-GraphQL routes', async () => {
    expect((await api.yoga.fetch(`${ORIGIN}/healthz`)).status).toBe(200);
    expect((await api.yoga.fetch(`${ORIGIN}/readyz`)).status).toBe(200);
    expect(requestLines()).toEqual([]);
  });
});

describe('masked errors', () => {
  it('carry the request id the log has, with the details only in the log', async () => {
    api.actAs(team.adminId);
    await api.db.sql.exec('ALTER TABLE team_meetings RENAME TO team_meetings_gone');
    let response: GraphQLResponse;
    try {
      response = await api.graphql('query Meetings { teamMeetings(first: 1) { edges { node { title } } } }');
    } finally {
      await api.db.sql.exec('ALTER TABLE team_meetings_gone RENAME TO team_meetings');
    }
    expect(expectErrorCode(response, 'INTERNAL_SERVER_ERROR')).toBe('Unexpected error.');
    const requestId = response.errors![0]!.extensions!.requestId as string;
    // Generated by the server (the client sent none): a UUID, also in the response header.
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(requestId);

    const unexpected = lines.filter((l) => l.msg === 'unexpected error');
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0]).toMatchObject({ level: 50, requestId });
    // The log keeps what the client must not see: the database's complaint.
    expect(JSON.stringify(unexpected[0]!.err)).toMatch(/team_meetings/);
    expect(JSON.stringify(response)).not.toMatch(/team_meetings/);
    expect(requestLines()).toEqual([
      expect.objectContaining({ requestId, operationName: 'Meetings', status: 200, errorCodes: ['INTERNAL_SERVER_ERROR'] }),
    ]);
  });
});
