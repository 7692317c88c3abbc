// In production, introspection and "Did you mean" suggestions are for ANALYST and ADMIN only, however the
// introspection is dressed up (aliases, fragments, __type, an operation or fragment named __schema);
// even for them, aliased or cyclic introspection is bounded. Outside production everyone signed in gets both.
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { expectErrorCode, expectNoGraphQLErrors } from '../kit/api.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api: production, viewers: people } = setupTestApi({ production: true, team: { users: 14, weeks: 1 } });
const { api: development } = setupTestApi(() => ({ db: production.db, team: false }));

const GRAPHIQL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

const DISGUISES: [string, string][] = [
  ['plain __schema', '{ __schema { types { name } } }'],
  ['__type', '{ __type(name: "User") { fields { name } } }'],
  ['an alias', '{ me { name } schema: __schema { queryType { name } } }'],
  ['an alias named like a normal field', '{ me: __schema { queryType { name } } }'],
  ['a named fragment', '{ me { name } ...Peek } fragment Peek on Query { __schema { types { name } } }'],
  ['an inline fragment', '{ ... on Query { __type(name: "WeeklyReport") { name } } }'],
  [
    'a fragment named like a normal one',
    'query Dashboard { ...UserListItem } fragment UserListItem on Query { t: __type(name: "User") { name } }',
  ],
  ['an operation named __schema', 'query __schema { __schema { types { name } } }'],
  ['a fragment named __schema', '{ ...__schema } fragment __schema on Query { __schema { types { name } } }'],
  ["GraphiQL's full query", GRAPHIQL_INTROSPECTION],
];

describe('in production', () => {
  it.each(DISGUISES)('refuses introspection through %s to EMPLOYEE and MANAGER', async (_name, query) => {
    for (const viewer of [people.employee, people.manager]) {
      production.actAs(viewer);
      const response = await production.graphql(query);
      expect(expectErrorCode(response, 'INTROSPECTION_DISABLED')).toMatch(/ANALYST and ADMIN/);
      expect(response.status).toBe(403);
      expect(response.data ?? null).toBeNull();
    }
  });

  it('refuses a document whose other operation introspects, whichever one runs', async () => {
    const query = 'query A { me { name } } query B { __schema { types { name } } }';
    for (const operationName of ['A', 'B']) {
      const response = await production.request({ query, operationName }, { as: people.employee });
      expectErrorCode(response, 'INTROSPECTION_DISABLED');
    }
  });

  it('still answers __typename (Apollo Client asks for it everywhere) and an operation named __schema', async () => {
    production.actAs(people.employee);
    const response = await production.graphql<{ __typename: 'Query'; me: { __typename: 'User'; name: string } }>(
      'query __schema { __typename me { __typename name } }',
    );
    expectNoGraphQLErrors(response);
    expect(response.data.me.__typename).toBe('User');
  });

  it.each(['analyst', 'admin'] as const)("gives the %s GraphiQL's full introspection", async (role) => {
    production.actAs(people[role]);
    const response = await production.graphql<IntrospectionQuery>(GRAPHIQL_INTROSPECTION);
    expectNoGraphQLErrors(response);
    expect(response.data.__schema.types.map((t) => t.name)).toContain('WeeklyReport');
  });

  it('bounds introspection multiplied by aliases, even for an admin', async () => {
    production.actAs(people.admin);
    const aliases = Array.from({ length: 16 }, (_, i) => `s${i}: __schema { types { fields { name } } }`).join(' ');
    expectErrorCode(await production.graphql(`{ ${aliases} }`), 'TOO_MANY_ALIASES');
  });

  it('bounds cyclic introspection (fields of types of fields ...), even for an admin', async () => {
    production.actAs(people.admin);
    // graphql-js' MaxIntrospectionDepthRule (part of the standard validation) refuses these.
    const cyclic = '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }';
    expect(expectErrorCode(await production.graphql(cyclic), 'GRAPHQL_VALIDATION_FAILED')).toBe('Maximum introspection depth exceeded');
    const viaType = '{ __type(name: "User") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }';
    expectErrorCode(await production.graphql(viaType), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('drops "Did you mean" from errors for EMPLOYEE and anonymous callers, keeps it for ANALYST', async () => {
    const typo = '{ me { nmae } }';
    // The analyst first: the validation result is cached, and must not leak its suggestion to others.
    production.actAs(people.analyst);
    expect(expectErrorCode(await production.graphql(typo), 'GRAPHQL_VALIDATION_FAILED')).toMatch(/Did you mean "name"\?/);
    for (const viewer of [people.employee, null]) {
      production.actAs(viewer);
      const message = expectErrorCode(await production.graphql(typo), 'GRAPHQL_VALIDATION_FAILED');
      expect(message).toBe('Cannot query field "nmae" on type "User".');
    }
    production.actAs(people.admin);
    expect(expectErrorCode(await production.graphql(typo), 'GRAPHQL_VALIDATION_FAILED')).toMatch(/Did you mean "name"\?/);
  });

  it('drops suggestions for enum values and arguments too', async () => {
    production.actAs(people.employee);
    const badEnum = expectErrorCode(
      await production.graphql('{ users(filter: { role: ANALYS }) { totalCount } }'),
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(badEnum).not.toMatch(/Did you mean|ANALYST/);
    const badVariable = await production.graphql('query($r: Role) { users(filter: { role: $r }) { totalCount } }', { r: 'ANALYS' });
    expect(expectErrorCode(badVariable, 'BAD_USER_INPUT')).not.toMatch(/Did you mean|ANALYST/);
    const badArgument = expectErrorCode(await production.graphql('{ users(frist: 1) { totalCount } }'), 'GRAPHQL_VALIDATION_FAILED');
    expect(badArgument).not.toMatch(/Did you mean|first/);
  });
});

describe('outside production', () => {
  it('lets every signed-in user introspect and see suggestions', async () => {
    development.actAs(people.employee);
    expectNoGraphQLErrors(await development.graphql(GRAPHIQL_INTROSPECTION));
    expect(expectErrorCode(await development.graphql('{ me { nmae } }'), 'GRAPHQL_VALIDATION_FAILED')).toMatch(/Did you mean "name"\?/);
  });

  it('still refuses anonymous callers', async () => {
    development.actAs(null);
    const response = await development.graphql('{ __schema { types { name } } }');
    expectErrorCode(response, 'UNAUTHENTICATED');
    expect(response.status).toBe(401);
  });
});
