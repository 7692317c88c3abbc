// Persisted documents meet the same query limits as GraphQL text: every dashboard document passes them at
// the largest page size, an over-limit document cannot be registered the APQ way, and a registered one is
// priced again with each request's variables.
import { createHash } from 'node:crypto';
import { getOperationAST, Kind, parse, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadManifest } from '../../src/infra/persisted-documents.js';
import { schema } from '../../src/schema/index.js';
import { GRAPHQL_PATH } from '../../src/server/create-server.js';
import { operationCost } from '../../src/server/query-cost.js';
import { expectErrorCode, expectNoGraphQLErrors, startTestApi, type GraphQLResponse, type TestApi } from '../kit/api.js';
import type { TestDatabase } from '../kit/database.js';
import { seedTeam, type TeamScenario } from '../kit/scenarios.js';

const LIMIT_CODES = ['QUERY_TOO_LARGE', 'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'TOO_MANY_DIRECTIVES', 'QUERY_TOO_COMPLEX'];
const MAX_COST = loadConfig({}).limits.maxCost;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let db: TestDatabase;
let team: TeamScenario;
let enforce: TestApi;
let apq: TestApi;
beforeAll(async () => {
  enforce = await startTestApi({ persistedOperations: { policy: 'enforce' } });
  db = enforce.db;
  team = await seedTeam(db, { users: 12, weeks: 2 });
  apq = await startTestApi({ db, persistedOperations: { policy: 'apq' } });
});
afterAll(async () => {
  await apq?.close();
  await enforce?.close();
});

async function send(api: TestApi, userId: number, body: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await api.yoga.fetch(`http://localhost${GRAPHQL_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${await api.tokenFor(userId)}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

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

describe('the dashboard\'s persisted documents', () => {
  const manifest = [...loadManifest()];

  it('are all within the limits at the largest page size', async () => {
    expect(manifest.length).toBeGreaterThan(3);
    const employee = team.userIds[12]!;
    for (const [hash, text] of manifest) {
      const document = parse(text);
      const variables = largestPages(document);
      expect(operationCost(schema, document, getOperationAST(document)!, variables), text).toBeLessThan(MAX_COST / 4);
      const response = await send(enforce, employee, { documentId: `sha256:${hash}`, variables });
      const codes = (response.errors ?? []).map((e) => e.extensions?.code);
      expect(codes.filter((c) => LIMIT_CODES.includes(c as string)), JSON.stringify(response)).toEqual([]);
    }
  });
});

describe('APQ registration', () => {
  const analyst = () => team.userIds[5]!;

  it('refuses to register or run a document over a limit', async () => {
    const deep = '{ users(first: 1) { edges { node { directReports(first: 1) { edges { node { directReports(first: 1) { edges { node { directReports(first: 1) { edges { node { name } } } } } } } } } } } } }';
    const persistedQuery = { version: 1, sha256Hash: sha256(deep) };
    expectErrorCode(await send(apq, analyst(), { query: deep, extensions: { persistedQuery } }), 'QUERY_TOO_DEEP');
    const again = await send(apq, analyst(), { extensions: { persistedQuery } });
    expect(again.data ?? null).toBeNull();
    expect(again.errors?.map((e) => e.extensions?.code).some((c) => c === 'QUERY_TOO_DEEP' || c === 'PERSISTED_QUERY_NOT_FOUND')).toBe(true);
  });

  it('prices a registered document again with each request\'s page sizes', async () => {
    const text = 'query Pages($people: Int!, $reports: Int!) { users(first: $people) { edges { node { name reports(first: $reports) { edges { node { week stressLevel hrMetrics { hires offers } opsMetrics { incidents } } } } } } } }';
    const persistedQuery = { version: 1, sha256Hash: sha256(text) };
    expectNoGraphQLErrors(await send(apq, analyst(), { query: text, variables: { people: 5, reports: 4 }, extensions: { persistedQuery } }));
    expectNoGraphQLErrors(await send(apq, analyst(), { variables: { people: 100, reports: 4 }, extensions: { persistedQuery } }));
    const tooMuch = await send(apq, analyst(), { variables: { people: 100, reports: 100 }, extensions: { persistedQuery } });
    expectErrorCode(tooMuch, 'QUERY_TOO_COMPLEX');
    expect(tooMuch.status).toBe(400);
  });
});
