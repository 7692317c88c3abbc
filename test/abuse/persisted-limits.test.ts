// Persisted documents meet the same query limits as GraphQL text: every dashboard document passes them at
// the largest page size, an over-limit document cannot be registered the APQ way, and a registered one is
// priced again with each request's variables.
import { createHash } from 'node:crypto';
import { getOperationAST, Kind, parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadManifest } from '../../src/infra/persisted-documents.js';
import { schema } from '../../src/schema/index.js';
import { operationCost } from '../../src/server/query-cost.js';
import { expectErrorCode, expectNoGraphQLErrors } from '../kit/api.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const LIMIT_CODES = ['QUERY_TOO_LARGE', 'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'TOO_MANY_DIRECTIVES', 'QUERY_TOO_COMPLEX'];
const MAX_COST = loadConfig({}).limits.maxCost;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const { api: enforce, db, team } = setupTestApi({ persistedOperations: { policy: 'enforce' }, team: { users: 12, weeks: 2 } });
const { api: apq } = setupTestApi(() => ({ db, persistedOperations: { policy: 'apq' }, team: false }));

/** Every Int variable at the largest page size; the rest left out (their errors come after the limits). */
function largestPages(document: DocumentNode): Record<string, number> {
  const operation = getOperationAST(document)!;
  const variables: Record<string, number> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    if (type.kind === Kind.NAMED_TYPE && type.name.value === 'Int') variables[definition.variable.name.value] = 100;
  }
  return variables;
}

describe("the dashboard's persisted documents", () => {
  const manifest = [...loadManifest()];

  it('are all within the limits at the largest page size', async () => {
    expect(manifest.length).toBeGreaterThan(3);
    const employee = team.userIds[12]!;
    for (const [hash, text] of manifest) {
      const document = parse(text);
      const variables = largestPages(document);
      expect(operationCost(schema, document, getOperationAST(document)!, variables), text).toBeLessThan(MAX_COST / 4);
      const response = await enforce.request({ documentId: `sha256:${hash}`, variables }, { as: employee });
      const codes = (response.errors ?? []).map((e) => e.extensions?.code);
      expect(
        codes.filter((c) => LIMIT_CODES.includes(c as string)),
        JSON.stringify(response),
      ).toEqual([]);
    }
  });
});

describe('APQ registration', () => {
  const analyst = () => team.userIds[5]!;

  it('refuses to register or run a document over a limit', async () => {
    const deep =
      '{ users(first: 1) { edges { node { directReports(first: 1) { edges { node { directReports(first: 1) { edges { node { directReports(first: 1) { edges { node { name } } } } } } } } } } } } }';
    const persistedQuery = { version: 1, sha256Hash: sha256(deep) };
    expectErrorCode(await apq.request({ query: deep, extensions: { persistedQuery } }, { as: analyst() }), 'QUERY_TOO_DEEP');
    const again = await apq.request({ extensions: { persistedQuery } }, { as: analyst() });
    expect(again.data ?? null).toBeNull();
    expect(again.errors?.map((e) => e.extensions?.code).some((c) => c === 'QUERY_TOO_DEEP' || c === 'PERSISTED_QUERY_NOT_FOUND')).toBe(
      true,
    );
  });

  it("prices a registered document again with each request's page sizes", async () => {
    const text =
      'query Pages($people: Int!, $reports: Int!) { users(first: $people) { edges { node { name reports(first: $reports) { edges { node { week stressLevel hrMetrics { hires offers } opsMetrics { incidents } } } } } } } }';
    const persistedQuery = { version: 1, sha256Hash: sha256(text) };
    expectNoGraphQLErrors(
      await apq.request({ query: text, variables: { people: 5, reports: 4 }, extensions: { persistedQuery } }, { as: analyst() }),
    );
    expectNoGraphQLErrors(await apq.request({ variables: { people: 100, reports: 4 }, extensions: { persistedQuery } }, { as: analyst() }));
    const tooMuch = await apq.request({ variables: { people: 100, reports: 100 }, extensions: { persistedQuery } }, { as: analyst() });
    expectErrorCode(tooMuch, 'QUERY_TOO_COMPLEX');
    expect(tooMuch.status).toBe(400);
  });
});
