// Bad input gets a clear error with a stable extensions.code, never a 500 or a stack trace.
import { describe, expect, it } from 'vitest';
import { expectErrorCode, expectNoGraphQLErrors, GRAPHQL_URL } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api } = setupTestApi({ team: { users: 12, weeks: 2 }, actAs: 'admin' });

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('IsoWeek', () => {
  it.each(['2026-W54', '2025-W53', '2026-W00', '2026-47', 'next week'])('rejects %s as a literal and as a variable', async (week) => {
    const literal = await api.graphql(`{ weeklyReports(filter: { weekFrom: "${week}" }) { totalCount } }`);
    expect(expectErrorCode(literal, 'BAD_USER_INPUT')).toMatch(/IsoWeek/);
    const variable = await api.graphql('query($w: IsoWeek) { weeklyReports(filter: { weekFrom: $w }) { totalCount } }', { w: week });
    expect(expectErrorCode(variable, 'BAD_USER_INPUT')).toMatch(/IsoWeek/);
  });

  it('accepts week 53 in a year that has one', async () => {
    const response = await api.graphql(graphql(`query ErrorsWeek53 { weeklyReports(filter: { weekFrom: "2026-W53" }) { totalCount } }`));
    expectNoGraphQLErrors(response);
    expect(response.data.weeklyReports.totalCount).toBe(0);
  });

  it('rejects an inverted week range', async () => {
    const response = await api.graphql('{ weeklyReports(filter: { weekFrom: "2026-W47", weekTo: "2026-W40" }) { totalCount } }');
    expectErrorCode(response, 'BAD_USER_INPUT');
  });
});

describe('page arguments', () => {
  const cases: [string, string][] = [
    ['users(first: -1)', 'must not be negative'],
    ['users(first: 101)', 'at most 100'],
    ['users(last: 500)', 'at most 100'],
    ['weeklyReports(first: 101)', 'at most 100'],
    ['teamMeetings(last: -3)', 'must not be negative'],
    ['users(first: 2, last: 2)', 'either'],
  ];
  it.each(cases)('%s is BAD_USER_INPUT', async (field, message) => {
    const response = await api.graphql(`{ ${field} { edges { cursor } } }`);
    expect(expectErrorCode(response, 'BAD_USER_INPUT')).toMatch(message);
    expect(response.data ?? null).toBeNull();
  });

  it.each(['reports(first: 101)', 'reports(first: -1)', 'directReports(last: 1000)', 'workSchedules(first: 200)'])(
    'nested %s is BAD_USER_INPUT',
    async (field) => {
      const response = await api.graphql(`{ users(first: 2) { edges { node { ${field} { edges { cursor } } } } } }`);
      expectErrorCode(response, 'BAD_USER_INPUT');
    },
  );

  it('accepts exactly 100', async () => {
    const response = await api.graphql('{ users(first: 100) { edges { cursor } } }');
    expectNoGraphQLErrors(response);
  });
});

describe('cursors', () => {
  it.each([
    ['garbage', 'not-a-cursor!!'],
    ['base64 of junk', b64('hello')],
    ['tampered values', Buffer.from(JSON.stringify([1, 'name:asc,id:asc', [42, 'x']])).toString('base64url')],
    ['another ordering', Buffer.from(JSON.stringify([1, 'createdAt:asc,id:asc', ['2026-01-01T00:00:00.000Z', 1]])).toString('base64url')],
  ])('rejects a malformed cursor (%s)', async (_name, cursor) => {
    const response = await api.graphql('query($c: String) { users(first: 2, after: $c) { edges { cursor } } }', { c: cursor });
    expect(expectErrorCode(response, 'BAD_USER_INPUT')).toMatch(/cursor/);
  });

  it('rejects a malformed cursor on a nested connection', async () => {
    const response = await api.graphql('{ users(first: 1) { edges { node { reports(first: 1, after: "bad") { edges { cursor } } } } } }');
    expectErrorCode(response, 'BAD_USER_INPUT');
  });
});

describe('global IDs', () => {
  it('returns null for a well-formed id that does not exist', async () => {
    const response = await api.graphql(graphql(`query ErrorsMissingNode($id: ID!) { node(id: $id) { id } }`), { id: b64('User:999999') });
    expectNoGraphQLErrors(response);
    expect(response.data.node).toBeNull();
  });

  it.each([
    ['not base64', '%%%'],
    ['no type separator', b64('nothing')],
    ['unknown type', b64('Spaceship:1')],
    ['non-numeric id', b64('User:abc')],
    ['a type that is not a Node', b64('HrMetrics:1')],
    ['a huge id', b64('User:99999999999999999999')],
  ])('rejects %s in node(id:)', async (_name, id) => {
    const response = await api.graphql('query($id: ID!) { node(id: $id) { id } }', { id });
    expectErrorCode(response, 'BAD_USER_INPUT');
  });

  it('rejects an id of the wrong type where a User id is expected', async () => {
    const [report] = await api.db.sql.query<{ id: number }>('SELECT id FROM weekly_reports LIMIT 1');
    const response = await api.graphql('query($id: ID!) { weeklyReports(filter: { userId: $id }) { totalCount } }', {
      id: b64(`WeeklyReport:${report!.id}`),
    });
    expect(expectErrorCode(response, 'BAD_USER_INPUT')).toMatch(/User/);
  });

  it('resolves mixed nodes(ids:) in order, with null for missing ones', async () => {
    const [user] = await api.db.sql.query<{ id: number }>('SELECT id FROM users ORDER BY id LIMIT 1');
    const [meeting] = await api.db.sql.query<{ id: number }>('SELECT id FROM team_meetings ORDER BY id LIMIT 1');
    const ids = [b64(`TeamMeeting:${meeting!.id}`), b64('User:999999'), b64(`User:${user!.id}`)];
    const response = await api.graphql(
      graphql(
        `query ErrorsMixedNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on User { email } ... on TeamMeeting { title } } }`,
      ),
      { ids },
    );
    expectNoGraphQLErrors(response);
    expect(response.data.nodes).toEqual([
      { __typename: 'TeamMeeting', id: ids[0], title: 'Weekly sync 0' },
      null,
      { __typename: 'User', id: ids[2], email: 'user000@example.com' },
    ]);
  });
});

describe('requests', () => {
  it('answers a syntax error with GRAPHQL_PARSE_FAILED', async () => {
    expectErrorCode(await api.graphql('{ users( }'), 'GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    expectErrorCode(await api.graphql('{ users { edges { node { password } } } }'), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('answers a wrongly typed variable with BAD_USER_INPUT', async () => {
    expectErrorCode(await api.graphql('query($n: Int) { users(first: $n) { totalCount } }', { n: 'ten' }), 'BAD_USER_INPUT');
  });

  it('answers malformed JSON with a 400 and a clear message', async () => {
    const response = await api.yoga.fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ users { totalCount } }"',
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(JSON.stringify(body)).not.toMatch(/at .+\.(ts|js):\d+/);
    expect(body.errors[0].message).toBeTruthy();
  });

  it('masks unexpected errors and gives them a request id', async () => {
    // A database failure the client cannot cause on purpose: simulate by closing a throwaway table.
    await api.db.sql.exec('ALTER TABLE team_meetings RENAME TO team_meetings_away');
    try {
      const response = await api.graphql('{ teamMeetings(first: 1) { edges { node { title } } } }', undefined, {
        'x-request-id': 'test-req-1',
      });
      const message = expectErrorCode(response, 'INTERNAL_SERVER_ERROR');
      expect(message).toBe('Unexpected error.');
      expect(response.errors![0]!.extensions!.requestId).toBe('test-req-1');
      expect(response.headers.get('x-request-id')).toBe('test-req-1');
    } finally {
      await api.db.sql.exec('ALTER TABLE team_meetings_away RENAME TO team_meetings');
    }
  });
});
