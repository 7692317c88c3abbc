// CSRF and CORS: a request another site's page could send without a preflight (a form as urlencoded or
// multipart, text/plain, a plain GET) is refused unless it carries a CSRF header, and changes nothing;
// JSON POSTs (the dashboard, GraphiQL) need no header; CORS answers only the configured origins.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { GRAPHQL_RESPONSE, GRAPHQL_URL, startTestApi, type GraphQLError, type TestApi } from '../kit/api.js';
import { setupTestApi } from '../kit/setup-test-api.js';

/** A schedule for the viewer on `day` of December 2026 (one per day: each accepted request uses its own). */
const mutation = (day: number) =>
  `mutation { createWorkSchedule(input: { date: "2026-12-${day}", startsAt: "2026-12-${day}T08:00:00Z", endsAt: "2026-12-${day}T16:00:00Z" }) { workSchedule { id } } }`;

const { api, team } = setupTestApi({ team: { users: 12, weeks: 1 } });
let token: string;
beforeAll(async () => {
  token = await api.tokenFor(team.adminId);
});

const schedules = async () => (await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM work_schedules'))[0]!.n;

/** The bodies a cross-site form or fetch without preflight can send, each carrying the mutation. */
function simpleRequests(day = 10): [string, () => { headers: Record<string, string>; body: BodyInit }][] {
  const MUTATION = mutation(day);
  return [
    [
      'application/x-www-form-urlencoded',
      () => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: MUTATION }).toString(),
      }),
    ],
    [
      'multipart/form-data',
      () => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query: MUTATION }));
        form.set('map', '{}');
        return { headers: {}, body: form };
      },
    ],
    ['text/plain', () => ({ headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ query: MUTATION }) })],
  ];
}

async function post(headers: Record<string, string>, body: BodyInit) {
  const response = await api.yoga.fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: GRAPHQL_RESPONSE, ...headers },
    body,
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => undefined)) as { data?: { me: { name: string } }; errors?: GraphQLError[] } | undefined,
  };
}

describe('CSRF', () => {
  it.each(simpleRequests())('refuses a mutation sent as %s without the header, and it has no effect', async (_type, build) => {
    const before = await schedules();
    const { headers, body } = build();
    const response = await post(headers, body);
    expect(response.status).toBe(403);
    expect(response.body?.errors?.[0]?.extensions?.code).toBe('CSRF_HEADER_REQUIRED');
    expect(response.body?.errors?.[0]?.message).toMatch(/x-graphql-yoga-csrf/);
    expect(await schedules()).toBe(before);
  });

  it('refuses a GET without the header (a link or an <img> could send it)', async () => {
    const response = await api.yoga.fetch(`${GRAPHQL_URL}?query=${encodeURIComponent('{ me { name } }')}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/graphql-response+json' },
    });
    expect(response.status).toBe(403);
  });

  it.each([
    ['x-graphql-yoga-csrf', 11],
    ['apollo-require-preflight', 12],
  ])('runs a urlencoded mutation that carries %s (a page on another site cannot add it)', async (header, day) => {
    const before = await schedules();
    const { headers, body } = simpleRequests(day)[0]![1]();
    const response = await post({ ...headers, [header]: 'true' }, body);
    expect(response.status).toBe(200);
    expect(response.body?.errors).toBeUndefined();
    expect(await schedules()).toBe(before + 1);
  });

  it('needs no header for a JSON POST, which browsers always preflight', async () => {
    const response = await post({ 'content-type': 'application/json' }, JSON.stringify({ query: '{ me { name } }' }));
    expect(response.status).toBe(200);
    expect(response.body?.data?.me.name).toBeTruthy();
  });
});

describe('CORS', () => {
  const preflight = (client: TestApi, origin: string) =>
    client.yoga.fetch(GRAPHQL_URL, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });

  it('answers only the configured origins, and never allows credentials (tokens, not cookies)', async () => {
    const cors = await startTestApi({ db: api.db, corsOrigins: ['https://dashboard.example.com', 'https://admin.example.com'] });
    try {
      const allowed = await preflight(cors, 'https://dashboard.example.com');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example.com');
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      const other = await preflight(cors, 'https://evil.example.net');
      expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.net');
    } finally {
      await cors.close();
    }
  });

  it('sends no CORS headers unless CORS_ORIGINS lists origins, in development as in production', async () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).server.corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.com, https://b.example.com' }).server.corsOrigins).toEqual([
      'https://a.example.com',
      'https://b.example.com',
    ]);
    expect(loadConfig({}).server.corsOrigins).toEqual([]);
    expect(() => loadConfig({ CORS_ORIGINS: 'dashboard.example.com' })).toThrow(/CORS_ORIGINS/);
    const closed = await startTestApi({ db: api.db, corsOrigins: [] });
    try {
      const response = await closed.yoga.fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { origin: 'https://evil.example.net', 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { name } }' }),
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });
});
