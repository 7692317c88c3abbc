// Depth, alias, directive and token limits: over each one a request is refused before anything runs,
// with a stable code; the dashboard's deepest real queries still pass; production hides the numbers.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { expectErrorCode, expectNoGraphQLErrors, startTestApi } from '../kit/api.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const DEFAULTS = loadConfig({}).limits;

const { api, team } = setupTestApi({ team: { users: 12, weeks: 2 }, actAs: 'admin' });
// Same database, production behaviour.
const { api: production } = setupTestApi(() => ({ db: api.db, production: true, team: false, actAs: team.adminId }));

/** `users > edges > node > directReports > edges > node ...` nested `levels` times, ending in `name`. */
function nestedTeams(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++) inner = `directReports(first: 1) { edges { node { ${inner} } } }`;
  return `{ users(first: 1) { edges { node { ${inner} } } } }`;
}

/** Expects a refusal with `code` before execution: no data, 400 under application/graphql-response+json. */
async function expectRefused(query: string, code: string, client = api) {
  const response = await client.graphql(query);
  const message = expectErrorCode(response, code);
  expect(response.status).toBe(400);
  expect(response.data ?? null).toBeNull();
  return message;
}

describe('depth', () => {
  it(`refuses more than ${DEFAULTS.maxDepth} levels`, async () => {
    // nestedTeams(n) is 4 + 3n deep (users, edges, node ... name).
    expectNoGraphQLErrors(await api.graphql(nestedTeams(2)));
    const message = await expectRefused(nestedTeams(3), 'QUERY_TOO_DEEP');
    expect(message).toMatch(/depth limit of 10 exceeded, found 13/);
  });

  it('counts the levels a fragment brings, not the fragment itself', async () => {
    const query = `
      { users(first: 1) { edges { node { ...Team } } } }
      fragment Team on User { directReports(first: 1) { edges { node { ...Deeper } } } }
      fragment Deeper on User { directReports(first: 1) { edges { node { directReports(first: 1) { edges { node { name } } } } } } }`;
    await expectRefused(query, 'QUERY_TOO_DEEP');
  });

  it('is not bypassed by an operation or a fragment named __schema', async () => {
    const deep = nestedTeams(3).slice(1, -1);
    await expectRefused(`query __schema { ${deep} }`, 'QUERY_TOO_DEEP');
    await expectRefused(`query { ...__schema } fragment __schema on Query { ${deep} }`, 'QUERY_TOO_DEEP');
  });

  it("lets the deepest dashboard query through: a manager's team, their latest reports and metrics", async () => {
    const query = `{
      users(first: 3, filter: { role: MANAGER }) { edges { node {
        name
        directReports(first: 10) { totalCount edges { node { name latestReport { stressLevel hrMetrics { hires } } } } }
      } } }
    }`;
    expectNoGraphQLErrors(await api.graphql(query), query);
  });
});

describe('aliases', () => {
  it(`refuses more than ${DEFAULTS.maxAliases}, in fragments too`, async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: me { name }`).join(' ');
    expectNoGraphQLErrors(await api.graphql(`{ ${aliases(DEFAULTS.maxAliases)} }`));
    expect(await expectRefused(`{ ${aliases(DEFAULTS.maxAliases + 1)} }`, 'TOO_MANY_ALIASES')).toMatch(
      /Aliases limit of 15 exceeded, found 16/,
    );
    await expectRefused(
      `{ ...F ...G } fragment F on Query { ${aliases(8)} } fragment G on Query { ${aliases(8).replaceAll('a', 'b')} }`,
      'TOO_MANY_ALIASES',
    );
  });
});

describe('directives', () => {
  it(`refuses more than ${DEFAULTS.maxDirectives}`, async () => {
    // One per field: a directive may appear once per location.
    const fields = (n: number) =>
      Array.from({ length: n }, (_, i) => (i % 2 ? 'name @include(if: true)' : 'city @skip(if: false)')).join(' ');
    expectNoGraphQLErrors(await api.graphql(`{ me { ${fields(DEFAULTS.maxDirectives)} } }`));
    await expectRefused(`{ me { ${fields(DEFAULTS.maxDirectives + 1)} } }`, 'TOO_MANY_DIRECTIVES');
  });
});

describe('tokens', () => {
  it('refuses a document of more tokens than the limit while parsing it', async () => {
    const strict = await startTestApi({ db: api.db, limits: { maxTokens: 12 } });
    try {
      strict.actAs(team.adminId);
      // 12 tokens: { me { name city country latestReport { week } } }
      expectNoGraphQLErrors(await strict.graphql('{ me { name city country latestReport { week } } }'));
      const message = await expectRefused('{ me { name city country latestReport { week stressLevel } } }', 'QUERY_TOO_LARGE', strict);
      expect(message).toMatch(/Token limit of 12 exceeded/);
    } finally {
      await strict.close();
    }
  });

  it(`stops parsing a huge document at token ${DEFAULTS.maxTokens + 1}`, async () => {
    const huge = `{ ${'__typename '.repeat(80_000)}}`;
    const started = performance.now();
    await expectRefused(huge, 'QUERY_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('in production', () => {
  it('names the limit and its code but never the numbers', async () => {
    const cases: [string, string, string][] = [
      [nestedTeams(3), 'QUERY_TOO_DEEP', 'Query is too deep.'],
      [`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { name }`).join(' ')} }`, 'TOO_MANY_ALIASES', 'Query has too many aliases.'],
      [`{ me { ${'name @skip(if: false) '.repeat(21)}} }`, 'TOO_MANY_DIRECTIVES', 'Query has too many directives.'],
      [`{ ${'__typename '.repeat(1_001)}}`, 'QUERY_TOO_LARGE', 'Query is too large.'],
    ];
    for (const [query, code, text] of cases) {
      const message = await expectRefused(query, code, production);
      expect(message).toBe(text);
      expect(message).not.toMatch(/\d/);
    }
  });
});

describe('configuration', () => {
  it('takes every limit from the environment', () => {
    const limits = loadConfig({ MAX_DEPTH: '7', MAX_ALIASES: '3', MAX_TOKENS: '500', MAX_DIRECTIVES: '2', MAX_COST: '900' }).limits;
    expect(limits).toMatchObject({ maxDepth: 7, maxAliases: 3, maxTokens: 500, maxDirectives: 2, maxCost: 900 });
    expect(() => loadConfig({ MAX_DEPTH: '0' })).toThrow(/MAX_DEPTH/);
  });

  it('applies a configured limit', async () => {
    const strict = await startTestApi({ db: api.db, limits: { maxDepth: 3 } });
    try {
      strict.actAs(team.adminId);
      expectNoGraphQLErrors(await strict.graphql('{ me { latestReport { week } } }'));
      await expectRefused('{ me { latestReport { hrMetrics { hires } } } }', 'QUERY_TOO_DEEP', strict);
    } finally {
      await strict.close();
    }
  });
});
