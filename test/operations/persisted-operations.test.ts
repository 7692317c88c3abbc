// The persisted-operations policy over plain HTTP requests: who may send text, who may register, what
// an unknown or mismatched id answers, GET and `documentId`, registrations in memory and on real Redis
// (shared by two instances, with a TTL, per operation of a batch, bounded in size and per user), and
// persisted documents still parsed once, validated and authorized.
import type { Redis } from 'ioredis';
import { GraphQLError, type FieldNode, type ValidationContext } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createTokenVerifier } from '../../src/infra/auth/jwt.js';
import { createPersistedDocuments, loadManifest, MAX_REGISTERED_DOCUMENT_BYTES, sha256Hex } from '../../src/infra/persisted-documents.js';
import { schema } from '../../src/schema/index.js';
import { createIdentities } from '../../src/server/identity.js';
import { usePersistedOperations, type PersistedOperationsPolicy } from '../../src/server/use-persisted-operations.js';
import {
  GRAPHQL_URL,
  startTestApi,
  TEST_JWT_SECRET,
  type Actor,
  type BatchedRequest,
  type GraphQLRequest,
  type GraphQLResponse,
  type TestApi,
} from '../kit/api.js';
import type { CountryAnalyticsQuery, SubmitWeeklyReportMutation, UsersPageQuery } from '../../operations/generated/graphql.js';
import { dropPrefix, quietLogger, redisUrl, testRedisClient, uniquePrefix } from '../kit/redis.js';
import { setupTestApi, setupTestDatabase } from '../kit/setup-test-api.js';

const url = redisUrl();
const manifest = loadManifest();

/** The manifest's hash and text of an operation. */
function trusted(name: string): { hash: string; text: string } {
  const entry = [...manifest].find(([, text]) => new RegExp(`\\b(query|mutation) ${name}\\(`).test(text));
  if (!entry) throw new Error(`no ${name} in the manifest`);
  return { hash: entry[0], text: entry[1] };
}

const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const USERS = { first: 3 };

/** What the ad hoc documents (`fresh`, `{ users(first: 1) { totalCount } }`) and the batches' `me` answer. */
type UserCount = { users: { totalCount: number } };
type Me = { me: { name: string } };

/**
 * One request as a client makes it: JSON over POST, or the same fields in the URL of a GET. A request by
 * hash carries no document, so `D` names what it answers (the manifest's types from operations/generated).
 */
const send = <D = unknown>(api: TestApi, actor: Actor, body: GraphQLRequest<D>, method: 'POST' | 'GET' = 'POST') =>
  api.request<D>(body, { as: actor, method });

/** Several operations in one request (a JSON array); the answers in order. */
async function sendBatch(api: TestApi, userId: number, bodies: BatchedRequest[]): Promise<GraphQLResponse[]> {
  const response = await api.request(bodies, { as: userId });
  expect(response.status).toBe(200);
  return response.results!;
}

function expectData<D>(response: GraphQLResponse<D>): D {
  expect(response.errors, JSON.stringify(response)).toBeUndefined();
  expect(response.status).toBe(200);
  expect(response.data, JSON.stringify(response)).toBeDefined();
  return response.data!;
}

function expectError(response: GraphQLResponse, code: string, status: number) {
  expect(
    response.errors?.map((e) => e.extensions?.code),
    JSON.stringify(response),
  ).toEqual([code]);
  expect(response.status, JSON.stringify(response)).toBe(status);
  expect(response.data ?? null).toBeNull();
  return response.errors![0]!;
}

function expectNotFound(response: GraphQLResponse) {
  // What Apollo's persisted-queries link looks for (message or code) to retry with the text.
  expect(expectError(response, 'PERSISTED_QUERY_NOT_FOUND', 200).message).toBe('PersistedQueryNotFound');
  expect(response.headers.get('cache-control')).toMatch(/no-cache/);
}

const { db, team } = setupTestDatabase({ team: { users: 20, weeks: 3 } });
let employee: number;
let analyst: number;
let admin: number;
beforeAll(async () => {
  // seedTeam: index 12 an EMPLOYEE, index 5 an ANALYST, index 1 the ADMIN.
  [employee, analyst, admin] = [team.userIds[12]!, team.userIds[5]!, team.adminId];
  const roles = await db.sql.query<{ id: number; role: string }>('SELECT id, role::text AS role FROM users WHERE id = ANY($1::int[])', [
    [employee, analyst, admin],
  ]);
  expect(Object.fromEntries(roles.map((r) => [r.id, r.role]))).toEqual({ [employee]: 'EMPLOYEE', [analyst]: 'ANALYST', [admin]: 'ADMIN' });
});

const withApi = (
  policy: PersistedOperationsPolicy,
  extra: { ttlSeconds?: number; redis?: { client: Redis; keyPrefix: string } } = {},
  batching = 0,
) => startTestApi({ db, persistedOperations: { policy, ...extra }, limits: { batching } });

/** A query no other test sends, so each test starts from an unregistered hash. */
const fresh = (tag: string) => {
  const text = `query Adhoc_${tag.replace(/\W/g, '_')} { users(first: 2) { totalCount } }`;
  return { text, hash: sha256Hex(text) };
};

describe('PERSISTED_OPERATIONS=enforce', () => {
  const { api } = setupTestApi(() => ({ db, persistedOperations: { policy: 'enforce' }, team: false }));
  const users = trusted('UsersPage');

  it('runs the manifest for an EMPLOYEE by APQ hash or documentId, over POST and GET', async () => {
    for (const method of ['POST', 'GET'] as const) {
      for (const body of [
        { extensions: apq(users.hash), variables: USERS },
        { documentId: `sha256:${users.hash}`, variables: USERS },
      ]) {
        const data = expectData(await send<UsersPageQuery>(api, employee, body, method));
        expect(data.users.edges, `${method} ${JSON.stringify(body)}`).toHaveLength(3);
      }
    }
  });

  it('refuses text from an EMPLOYEE, also with its own hash; the reviewed text with its hash runs', async () => {
    const text = '{ users(first: 1) { totalCount } }';
    const refused = expectError(await send(api, employee, { query: text }), 'PERSISTED_QUERY_ONLY', 403);
    expect(refused.message).toMatch(/ANALYST and ADMIN/);
    expectError(await send(api, employee, { query: text, extensions: apq(sha256Hex(text)) }), 'PERSISTED_QUERY_ONLY', 403);
    expectData(await send(api, employee, { query: users.text, extensions: apq(users.hash), variables: USERS }));
  });

  it('lets ANALYST and ADMIN send any text (GraphiQL), without registering it', async () => {
    const text = '{ users(first: 1) { totalCount } }';
    expect(expectData(await send<UserCount>(api, analyst, { query: text })).users.totalCount).toBe(team.userIds.length);
    expect(expectData(await send<UserCount>(api, admin, { query: text })).users.totalCount).toBe(team.userIds.length);
    expectData(await send(api, analyst, { query: text, extensions: apq(sha256Hex(text)) }));
    expectNotFound(await send(api, analyst, { extensions: apq(sha256Hex(text)) }));
  });

  it('answers an unknown or malformed id with PersistedQueryNotFound, as Apollo expects', async () => {
    for (const who of [employee, analyst]) {
      expectNotFound(await send(api, who, { extensions: apq('0'.repeat(64)) }));
      expectNotFound(await send(api, who, { documentId: 'sha256:nonsense' }));
      expectNotFound(await send(api, who, { documentId: `sha256:${'f'.repeat(64)}` }, 'GET'));
    }
  });

  it('refuses a hash that is not the sha256 of the text sent with it', async () => {
    const response = await send(api, analyst, { query: '{ __typename }', extensions: apq(users.hash) });
    expectError(response, 'PERSISTED_QUERY_HASH_MISMATCH', 400);
  });

  it('answers 401 without a token, for text and ids alike', async () => {
    expectError(await send(api, null, { query: '{ __typename }' }), 'UNAUTHENTICATED', 401);
    expectError(await send(api, null, { extensions: apq(users.hash), variables: USERS }), 'UNAUTHENTICATED', 401);
    expectError(await send(api, null, { extensions: apq('0'.repeat(64)) }), 'UNAUTHENTICATED', 401);
  });

  it('keeps every authorization rule for persisted documents', async () => {
    const analytics = trusted('CountryAnalytics');
    const variables = { from: team.weeks[0], to: team.weeks.at(-1) };
    expectError(await send(api, employee, { extensions: apq(analytics.hash), variables }), 'FORBIDDEN', 200);
    expect(
      expectData(await send<CountryAnalyticsQuery>(api, analyst, { extensions: apq(analytics.hash), variables })).countryAnalytics.length,
    ).toBeGreaterThan(0);
  });

  it('never runs a mutation over GET, persisted or not', async () => {
    const submit = trusted('SubmitWeeklyReport');
    const variables = { input: { week: team.weeks[0], workdays: 2, stressLevel: 9, highlights: 'over GET' } };
    const count = async () =>
      (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM weekly_reports WHERE highlights = $1', ['over GET']))[0]!.n;
    for (const body of [
      { documentId: `sha256:${submit.hash}`, variables },
      { extensions: apq(submit.hash), variables },
    ]) {
      const response = await send(api, employee, body, 'GET');
      expect(response.status, JSON.stringify(response)).toBe(405);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    }
    expect(await count()).toBe(0);
    expect(
      expectData(await send<SubmitWeeklyReportMutation>(api, employee, { extensions: apq(submit.hash), variables })).submitWeeklyReport
        .report.week,
    ).toBe(team.weeks[0]);
    expect(await count()).toBe(1);
  });

  it('lets Idempotency-Key replay a persisted mutation (the plugins after this one see its text)', async () => {
    const submit = trusted('SubmitWeeklyReport');
    const variables = { input: { week: team.weeks[1], workdays: 3, stressLevel: 4, highlights: 'idempotent and persisted' } };
    const once = () =>
      api.request({ extensions: apq(submit.hash), variables }, { as: employee, headers: { 'idempotency-key': 'persisted-1' } });
    const first = await once();
    expect(first.errors).toBeUndefined();
    const second = await once();
    expect(second.extensions?.idempotency).toEqual({ replayed: true });
    expect(second.data).toEqual(first.data);
  });

  it('asks for a document when a request has neither text nor id', async () => {
    expectError(await send(api, analyst, { variables: USERS }), 'BAD_REQUEST', 400);
  });
});

describe.each([
  ['in memory', false],
  ['on Redis', true],
] as const)('PERSISTED_OPERATIONS=apq, registrations %s', (_name, onRedis) => {
  const skip = onRedis && !url;
  const prefix = uniquePrefix();
  const ttlSeconds = 600;
  let client: Redis | undefined;
  let api: TestApi;
  beforeAll(async () => {
    if (onRedis && url) {
      client = testRedisClient(url);
      await new Promise((resolve) => client!.once('ready', resolve));
    }
    api = await withApi('apq', { ttlSeconds, redis: client ? { client, keyPrefix: prefix } : undefined });
  });
  afterAll(async () => {
    await api?.close();
    if (client) {
      client.disconnect();
      await dropPrefix(url!, prefix);
    }
  });

  it.skipIf(skip)("registers an ANALYST's document (hash, then hash + text); then the hash alone runs it", async () => {
    const doc = fresh(`register ${_name}`);
    expectNotFound(await send(api, analyst, { extensions: apq(doc.hash) }));
    expect(expectData(await send<UserCount>(api, analyst, { query: doc.text, extensions: apq(doc.hash) })).users.totalCount).toBe(
      team.userIds.length,
    );
    expect(expectData(await send<UserCount>(api, analyst, { extensions: apq(doc.hash) })).users.totalCount).toBe(team.userIds.length);
    expectData(await send(api, admin, { documentId: `sha256:${doc.hash}` }, 'GET'));
    if (client) {
      const ttl = await client.ttl(`${prefix}pq:${doc.hash}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(ttlSeconds);
    }
  });

  it.skipIf(skip)(onRedis ? 'shares registrations between instances' : 'keeps registrations to its own process', async () => {
    const doc = fresh(`shared ${_name}`);
    const other = await withApi('apq', { ttlSeconds, redis: client ? { client, keyPrefix: prefix } : undefined });
    try {
      expectNotFound(await send(other, analyst, { extensions: apq(doc.hash) }));
      expectData(await send(api, analyst, { query: doc.text, extensions: apq(doc.hash) }));
      const elsewhere = await send(other, analyst, { extensions: apq(doc.hash) });
      if (onRedis) expectData(elsewhere);
      else expectNotFound(elsewhere);
    } finally {
      await other.close();
    }
  });

  it.skipIf(skip)('stores nothing for a mismatched hash or a document that does not validate', async () => {
    const doc = fresh(`mismatch ${_name}`);
    const claimed = sha256Hex(`${doc.text} `);
    expectError(await send(api, analyst, { query: doc.text, extensions: apq(claimed) }), 'PERSISTED_QUERY_HASH_MISMATCH', 400);
    expectNotFound(await send(api, analyst, { extensions: apq(claimed) }));
    expectNotFound(await send(api, analyst, { extensions: apq(doc.hash) }));

    const invalid = `{ users(first: 1) { noSuchField } } # ${_name}`;
    expectError(await send(api, analyst, { query: invalid, extensions: apq(sha256Hex(invalid)) }), 'GRAPHQL_VALIDATION_FAILED', 400);
    expectNotFound(await send(api, analyst, { extensions: apq(sha256Hex(invalid)) }));
    if (client) {
      for (const hash of [claimed, doc.hash, sha256Hex(invalid)]) expect(await client.exists(`${prefix}pq:${hash}`)).toBe(0);
    }
  });

  it.skipIf(skip)('lets an EMPLOYEE neither register a document nor run one an analyst registered', async () => {
    const doc = fresh(`employee ${_name}`);
    expectError(await send(api, employee, { query: doc.text, extensions: apq(doc.hash) }), 'PERSISTED_QUERY_ONLY', 403);
    expectNotFound(await send(api, analyst, { extensions: apq(doc.hash) }));
    expectData(await send(api, analyst, { query: doc.text, extensions: apq(doc.hash) }));
    expectNotFound(await send(api, employee, { extensions: apq(doc.hash) }));
    // The dashboard's own documents still run for everyone.
    expectData(await send(api, employee, { extensions: apq(trusted('UsersPage').hash), variables: USERS }));
  });

  it.skipIf(skip)('registers each operation of a batch under its own hash', async () => {
    const users = fresh(`batch users ${_name}`);
    const me = { text: `query Adhoc_batch_me_${onRedis ? 'redis' : 'memory'} { me { name } }`, hash: '' };
    me.hash = sha256Hex(me.text);
    const batching = await withApi('apq', { ttlSeconds, redis: client ? { client, keyPrefix: prefix } : undefined }, 2);
    try {
      const answers = await sendBatch(batching, analyst, [
        { query: users.text, extensions: apq(users.hash) },
        { query: me.text, extensions: apq(me.hash) },
      ]);
      expect(
        answers.map((a) => Object.keys(a.data ?? {})),
        JSON.stringify(answers),
      ).toEqual([['users'], ['me']]);
      expect(expectData(await send<UserCount>(batching, analyst, { extensions: apq(users.hash) })).users.totalCount).toBe(
        team.userIds.length,
      );
      expect(Object.keys(expectData(await send<Me>(batching, analyst, { extensions: apq(me.hash) })))).toEqual(['me']);
      if (client) {
        expect(await client.get(`${prefix}pq:${users.hash}`)).toBe(users.text);
        expect(await client.get(`${prefix}pq:${me.hash}`)).toBe(me.text);
      }
      // An operation that does not validate keeps nothing, whatever its neighbour in the batch does.
      const good = fresh(`batch good ${_name}`);
      const bad = `{ users(first: 1) { noSuchField } } # batch ${_name}`;
      const mixed = await sendBatch(batching, analyst, [
        { query: good.text, extensions: apq(good.hash) },
        { query: bad, extensions: apq(sha256Hex(bad)) },
      ]);
      expect(mixed.map((a) => a.errors?.[0]?.extensions?.code)).toEqual([undefined, 'GRAPHQL_VALIDATION_FAILED']);
      expectData(await send(batching, analyst, { extensions: apq(good.hash) }));
      expectNotFound(await send(batching, analyst, { extensions: apq(sha256Hex(bad)) }));
    } finally {
      await batching.close();
    }
  });

  it.skipIf(skip)(`runs a document over ${MAX_REGISTERED_DOCUMENT_BYTES} bytes without keeping it`, async () => {
    const base = `query Adhoc_oversize_${onRedis ? 'redis' : 'memory'} { users(first: 2) { totalCount } }`;
    // Padding is whitespace: no tokens, so only the byte cap can refuse it (the query limits count tokens).
    const padded = (bytes: number) => `${base}${' '.repeat(bytes - Buffer.byteLength(base))}`;
    const atCap = { text: padded(MAX_REGISTERED_DOCUMENT_BYTES), hash: '' };
    const over = { text: padded(MAX_REGISTERED_DOCUMENT_BYTES + 1), hash: '' };
    atCap.hash = sha256Hex(atCap.text);
    over.hash = sha256Hex(over.text);
    expect(expectData(await send<UserCount>(api, analyst, { query: over.text, extensions: apq(over.hash) })).users.totalCount).toBe(
      team.userIds.length,
    );
    expectNotFound(await send(api, analyst, { extensions: apq(over.hash) }));
    expectData(await send(api, analyst, { query: atCap.text, extensions: apq(atCap.hash) }));
    expectData(await send(api, analyst, { extensions: apq(atCap.hash) }));
    if (client) {
      expect(await client.exists(`${prefix}pq:${over.hash}`)).toBe(0);
      expect(await client.strlen(`${prefix}pq:${atCap.hash}`)).toBe(MAX_REGISTERED_DOCUMENT_BYTES);
    }
  });
});

describe('PERSISTED_OPERATIONS=apq in memory, short TTL', () => {
  it('forgets a registration after PERSISTED_QUERY_TTL_S', async () => {
    const api = await withApi('apq', { ttlSeconds: 1 });
    try {
      const text = '{ users(first: 1) { totalCount } }';
      expectData(await send(api, analyst, { query: text, extensions: apq(sha256Hex(text)) }));
      expectData(await send(api, analyst, { extensions: apq(sha256Hex(text)) }));
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expectNotFound(await send(api, analyst, { extensions: apq(sha256Hex(text)) }));
    } finally {
      await api.close();
    }
  });
});

describe.each([
  ['in memory', false],
  ['on Redis', true],
] as const)('PERSISTED_OPERATIONS=off (the embedded default), registrations %s', (_name, onRedis) => {
  const skip = onRedis && !url;
  const prefix = uniquePrefix();
  let client: Redis | undefined;
  let api: TestApi;
  beforeAll(async () => {
    if (onRedis && url) {
      client = testRedisClient(url);
      await new Promise((resolve) => client!.once('ready', resolve));
    }
    api = await withApi('off', { redis: client ? { client, keyPrefix: prefix } : undefined }, 2);
  });
  afterAll(async () => {
    await api?.close();
    if (client) {
      client.disconnect();
      await dropPrefix(url!, prefix);
    }
  });

  it.skipIf(skip)('lets anyone signed in send text and register it', async () => {
    const text = `{ me { name } } # off ${_name}`;
    expectData(await send(api, employee, { query: text }));
    expectData(await send(api, employee, { query: text, extensions: apq(sha256Hex(text)) }));
    expectData(await send(api, employee, { extensions: apq(sha256Hex(text)) }));
    expectData(await send(api, employee, { extensions: apq(trusted('UsersPage').hash), variables: USERS }));
  });

  it.skipIf(skip)('registers each operation of a batch under its own hash', async () => {
    const users = fresh(`off batch ${_name}`);
    const me = { text: `query Adhoc_off_batch_me_${onRedis ? 'redis' : 'memory'} { me { name } }`, hash: '' };
    me.hash = sha256Hex(me.text);
    await sendBatch(api, employee, [
      { query: users.text, extensions: apq(users.hash) },
      { query: me.text, extensions: apq(me.hash) },
    ]);
    expect(Object.keys(expectData(await send<UserCount>(api, employee, { extensions: apq(users.hash) })))).toEqual(['users']);
    expect(Object.keys(expectData(await send<Me>(api, employee, { extensions: apq(me.hash) })))).toEqual(['me']);
  });

  it.skipIf(skip)('keeps nothing an anonymous client or the service sends', async () => {
    const anonymous = fresh(`off anonymous ${_name}`);
    expectError(await send(api, null, { query: anonymous.text, extensions: apq(anonymous.hash) }), 'UNAUTHENTICATED', 401);
    expectNotFound(await send(api, employee, { extensions: apq(anonymous.hash) }));

    const service = { text: `query Adhoc_off_service_${onRedis ? 'redis' : 'memory'} { __typename }`, hash: '' };
    service.hash = sha256Hex(service.text);
    expectData(await send(api, 'service', { query: service.text, extensions: apq(service.hash) }));
    expectNotFound(await send(api, employee, { extensions: apq(service.hash) }));
    if (client) expect(await client.exists(`${prefix}pq:${anonymous.hash}`, `${prefix}pq:${service.hash}`)).toBe(0);
  });
});

describe.each([
  ['in memory', false],
  ['on Redis', true],
] as const)('the registration budget per user, %s', (_name, onRedis) => {
  const skip = onRedis && !url;

  it.skipIf(skip)("keeps a user's new documents up to the budget; re-registering a kept one and other users are unaffected", async () => {
    const prefix = uniquePrefix();
    const client = onRedis ? testRedisClient(url!) : undefined;
    try {
      const documents = createPersistedDocuments({
        manifest: new Map(),
        ttlSeconds: 60,
        redis: client ? { client, keyPrefix: prefix } : undefined,
        logger: quietLogger,
        registrationsPerViewer: 2,
      });
      if (client) await new Promise((resolve) => client.once('ready', resolve));
      const [a, b, c] = ['a', 'b', 'c'].map((tag) => fresh(`budget ${tag}`)) as [
        ReturnType<typeof fresh>,
        ReturnType<typeof fresh>,
        ReturnType<typeof fresh>,
      ];
      await documents.register(a.hash, a.text, 'user:1');
      await documents.register(a.hash, a.text, 'user:1'); // kept already: costs nothing
      await documents.register(b.hash, b.text, 'user:1');
      await documents.register(c.hash, c.text, 'user:1'); // the third new one: over the budget of 2
      expect(await documents.registered(a.hash)).toBe(a.text);
      expect(await documents.registered(b.hash)).toBe(b.text);
      expect(await documents.registered(c.hash)).toBeUndefined();
      await documents.register(c.hash, c.text, 'user:2');
      expect(await documents.registered(c.hash)).toBe(c.text);
      if (client) expect((await client.keys(`${prefix}pq:*`)).sort()).toEqual([a, b, c].map((doc) => `${prefix}pq:${doc.hash}`).sort());
    } finally {
      client?.disconnect();
      if (client) await dropPrefix(url!, prefix);
    }
  });
});

describe('a persisted document in the pipeline', () => {
  const ping = 'query Ping { __typename }';

  /** Our plugin in a bare Yoga, plus a counter of the parses and validations that really run (cache hits skip them). */
  const pipeline = (extra: Plugin[] = []) => {
    const counts = { parse: 0, validate: 0 };
    const counting: Plugin = {
      onParse: ({ parseFn, setParseFn }) =>
        setParseFn((...args) => {
          counts.parse++;
          return parseFn(...args);
        }),
      onValidate: ({ validateFn, setValidationFn }) =>
        setValidationFn((...args) => {
          counts.validate++;
          return validateFn(...args);
        }),
    };
    const yoga = createYoga({
      schema,
      plugins: [
        counting,
        ...extra,
        usePersistedOperations({
          policy: 'enforce',
          documents: createPersistedDocuments({ manifest: new Map([[sha256Hex(ping), ping]]), ttlSeconds: 60, logger: quietLogger }),
          identities: createIdentities({ auth: { verifier: createTokenVerifier({ secret: TEST_JWT_SECRET }) }, db }),
        }),
      ],
    });
    const post = async () => {
      const response = await yoga.fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ extensions: apq(sha256Hex(ping)) }),
      });
      return (await response.json()) as GraphQLResponse;
    };
    return { post, counts };
  };

  it('is parsed and validated once, then served from the cache', async () => {
    const { post, counts } = pipeline();
    for (let i = 0; i < 5; i++) expect((await post()).data).toEqual({ __typename: 'Query' });
    expect(counts).toEqual({ parse: 1, validate: 1 });
  });

  it('goes through every validation rule (limits are validation rules)', async () => {
    const refuseTypename: Plugin = {
      onValidate: ({ addValidationRule }) =>
        addValidationRule((context: ValidationContext) => ({
          Field(node: FieldNode) {
            if (node.name.value === '__typename') context.reportError(new GraphQLError('over the limit', { nodes: node }));
          },
        })),
    };
    const response = await pipeline([refuseTypename]).post();
    expect(response.data).toBeUndefined();
    expect(response.errors?.map((e) => e.message)).toEqual(['over the limit']);
  });
});

describe('PERSISTED_OPERATIONS configuration', () => {
  it('defaults to enforce in production and off elsewhere, and refuses other values', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET };
    expect(loadConfig(production).persistedOperations).toEqual({ policy: 'enforce', ttlSeconds: 86_400 });
    expect(loadConfig({}).persistedOperations.policy).toBe('off');
    expect(loadConfig({ ...production, PERSISTED_OPERATIONS: 'apq', PERSISTED_QUERY_TTL_S: '60' }).persistedOperations).toEqual({
      policy: 'apq',
      ttlSeconds: 60,
    });
    expect(() => loadConfig({ PERSISTED_OPERATIONS: 'strict' })).toThrow(ConfigError);
    expect(() => loadConfig({ PERSISTED_QUERY_TTL_S: '0' })).toThrow(/PERSISTED_QUERY_TTL_S/);
  });
});
