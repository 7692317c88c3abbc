// The GraphQL-over-HTTP specification at the edges: media types decide the status of request errors,
// GET runs queries only, unsupported methods, media types and bodies get a 4xx with a clear message and a
// code, never a 500. (Malformed JSON with the default Accept and invalid variable values: test/api/errors.test.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import { GRAPHQL_RESPONSE, GRAPHQL_URL, startTestApi, type GraphQLError } from '../kit/api.js';
import { globalId } from '../kit/global-id.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const CSRF = { 'x-graphql-yoga-csrf': '1' };
const CREATE_SCHEDULE = `mutation($userId: ID!) {
  createWorkSchedule(input: { userId: $userId, date: "2026-12-01", startsAt: "2026-12-01T08:00:00Z", endsAt: "2026-12-01T16:00:00Z", remote: true }) { workSchedule { id } }
}`;

const { api, team } = setupTestApi({ team: { users: 12, weeks: 1 } });
let token: string;
beforeAll(async () => {
  token = await api.tokenFor(team.adminId);
});

async function send(init: { method?: string; headers?: Record<string, string>; body?: BodyInit; search?: string }) {
  const response = await api.yoga.fetch(`${GRAPHQL_URL}${init.search ?? ''}`, {
    method: init.method ?? 'POST',
    headers: { authorization: `Bearer ${token}`, ...init.headers },
    body: init.body,
  });
  const text = await response.text();
  let body: { data?: { me: { name: string } }; errors?: GraphQLError[] } | undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  // Nothing a client can send may answer with internals.
  expect(text).not.toMatch(/at .+\.(ts|js):\d+|node_modules/);
  return { status: response.status, headers: response.headers, text, body };
}

const json = (payload: unknown, accept = GRAPHQL_RESPONSE) => ({
  headers: { 'content-type': 'application/json', accept },
  body: JSON.stringify(payload),
});

const schedules = async () => (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM work_schedules'))[0]!.n;
const adminGlobalId = () => globalId('User', team.adminId);

describe('media types and status codes', () => {
  it('answers a valid query 200 in the media type asked for', async () => {
    for (const accept of [GRAPHQL_RESPONSE, 'application/json']) {
      const response = await send(json({ query: '{ me { name } }' }, accept));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(`${accept}; charset=utf-8`);
      expect(response.body?.data?.me.name).toBeTruthy();
    }
  });

  it('answers a validation error 400 under application/graphql-response+json, 200 under application/json', async () => {
    const strict = await send(json({ query: '{ me { nope } }' }));
    expect(strict.status).toBe(400);
    expect(strict.body?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(strict.body?.data).toBeUndefined();
    const legacy = await send(json({ query: '{ me { nope } }' }, 'application/json'));
    expect(legacy.status).toBe(200);
    expect(legacy.body?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers a syntax error 400 under application/graphql-response+json', async () => {
    const response = await send(json({ query: '{ me { ' }));
    expect(response.status).toBe(400);
    expect(response.body?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers 406 when the client accepts no media type it could be given', async () => {
    const response = await send(json({ query: '{ me { name } }' }, 'text/xml'));
    expect(response.status).toBe(406);
  });

  it('answers 415 to a body in a media type GraphQL is not sent in', async () => {
    const response = await send({ headers: { 'content-type': 'application/xml', ...CSRF }, body: '<query>{ me { name } }</query>' });
    expect(response.status).toBe(415);
    expect(response.body?.errors?.[0]?.message).toMatch(/application\/json/);
    expect(response.body?.errors?.[0]?.extensions?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('methods', () => {
  it('runs a query sent with GET', async () => {
    const search = `?query=${encodeURIComponent('{ me { name } }')}`;
    const response = await send({ method: 'GET', headers: { accept: GRAPHQL_RESPONSE, ...CSRF }, search });
    expect(response.status).toBe(200);
    expect(response.body?.data?.me.name).toBeTruthy();
  });

  it('refuses a mutation sent with GET (405, Allow: POST) and runs nothing', async () => {
    const before = await schedules();
    const search = `?query=${encodeURIComponent(CREATE_SCHEDULE)}&variables=${encodeURIComponent(JSON.stringify({ userId: adminGlobalId() }))}`;
    const response = await send({ method: 'GET', headers: { accept: GRAPHQL_RESPONSE, ...CSRF }, search });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.body?.errors?.[0]?.message).toMatch(/POST/);
    expect(await schedules()).toBe(before);
  });

  it('runs the same mutation with POST (the refusal above is about the method)', async () => {
    const before = await schedules();
    const response = await send(json({ query: CREATE_SCHEDULE, variables: { userId: adminGlobalId() } }));
    expect(response.status).toBe(200);
    expect(response.body?.errors).toBeUndefined();
    expect(await schedules()).toBe(before + 1);
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('answers %s with 405 and the methods it allows', async (method) => {
    const response = await send({ method, ...json({ query: '{ me { name } }' }) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toMatch(/GET, POST/);
  });
});

describe('malformed requests', () => {
  const cases: [string, BodyInit, RegExp][] = [
    ['malformed JSON', '{"query": "{ me { name } }"', /invalid JSON/i],
    ['a JSON string', '"{ me { name } }"', /expected to be object/],
    ['JSON null', 'null', /expected to be object/],
    ['no query', '{"variables": {}}', /GraphQL document in `query`/],
    ['a query that is not a string', '{"query": 42}', /query.*string/i],
    ['variables that are not an object', '{"query": "{ me { name } }", "variables": "x"}', /variables.*object/i],
    ['an unknown parameter', '{"query": "{ me { name } }", "queryy": "x"}', /Unexpected parameter "queryy"/],
  ];
  it.each(cases)('answers %s with 400 and a clear message', async (_name, body, message) => {
    const response = await send({ headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE }, body });
    expect(response.status).toBe(400);
    expect(response.body?.errors?.[0]?.message).toMatch(message);
    expect(response.body?.errors?.[0]?.extensions?.code).toBeTruthy();
  });

  it('answers an operation name the document does not hold with 400', async () => {
    const response = await send(json({ query: 'query A { me { name } }', operationName: 'B' }));
    expect(response.status).toBe(400);
    expect(response.body?.errors?.[0]?.message).toMatch(/Could not determine what operation to execute/);
  });

  it('answers variable values of the wrong type with 400 and BAD_USER_INPUT before running anything', async () => {
    const response = await send(json({ query: 'query($n: Int!) { users(first: $n) { totalCount } }', variables: { n: { $gt: 1 } } }));
    expect(response.status).toBe(400);
    expect(response.body?.data).toBeUndefined();
    expect(response.body?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('body size', () => {
  it('answers a body over MAX_BODY_BYTES with 413, from Content-Length or from the stream', async () => {
    const small = await startTestApi({ db: api.db, limits: { maxBodyBytes: 2_048 } });
    try {
      const body = JSON.stringify({ query: `{ me { name } } # ${'x'.repeat(4_096)}` });
      const declared = await small.yoga.fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      expect(declared.status).toBe(413);
      expect((await declared.json()).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');

      // No Content-Length (a chunked upload): counted as it streams.
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      });
      const streamed = await small.yoga.fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);

      const fits = await small.yoga.fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { name } }' }),
      });
      expect(fits.status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
