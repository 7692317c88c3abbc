// The request pipeline as create-server.ts lists it: who is asking is decided once per request, whatever
// steps want to know; the steps whose order matters run in that order; and a disposed server closes what
// it owns (Yoga's onDispose hooks run).
import { describe, expect, it } from 'vitest';
import { startTestApi, userReads } from '../kit/api.js';
import { captureLogs } from '../kit/logs.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { logger, lines, clear } = captureLogs('info');
// Every step that reads the viewer is on: rate limits, APQ registration, idempotency keys, the response cache.
const { api, viewers } = setupTestApi({
  logger,
  team: { users: 8, weeks: 1 },
  responseCache: {},
  rateLimit: { perMinute: 1_000, anonymousPerMinute: 1_000 },
  persistedOperations: { policy: 'apq' },
});

/** The statements one request ran that read the users table (the identity lookup is one of them). */
const userLookups = (send: () => Promise<unknown>) => userReads(api.db, send);

describe('identity', () => {
  it('is looked up once per request, however many steps read it', async () => {
    // Each viewer's first request (later ones may be served by the viewer cache, viewer-cache.test.ts).
    api.actAs(viewers.analyst);
    // Rate limit, persisted operations, response cache session, introspection policy, stats and context.
    expect(await userLookups(() => api.graphql('{ __typename }'))).toBe(1);
    // A mutation also passes the idempotency step.
    api.actAs(viewers.manager);
    const mutation = 'mutation Noop { __typename }';
    expect(await userLookups(() => api.graphql(mutation, undefined, { 'idempotency-key': `pipeline-${Date.now()}` }))).toBe(1);
  });

  it('refuses an invalid token and a missing one alike: 401, no lookup for a malformed token', async () => {
    api.actAs(null);
    const missing = await api.graphql('{ __typename }');
    const malformed = await api.graphql('{ __typename }', undefined, { authorization: 'Bearer not a token' });
    for (const response of [missing, malformed]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    expect(await userLookups(() => api.graphql('{ __typename }', undefined, { authorization: 'Bearer not-a-jwt' }))).toBe(0);
  });

  it('is what the request log names', async () => {
    api.actAs(viewers.analyst);
    clear();
    await api.graphql('query LoggedViewer { __typename }');
    const line = lines.find((l) => l.operationName === 'LoggedViewer');
    expect(line?.viewerId).toBe(viewers.analyst);
  });
});

describe('order of the steps', () => {
  it('codes errors before the stats read them: a syntax error is logged as GRAPHQL_PARSE_FAILED', async () => {
    api.actAs(viewers.analyst);
    clear();
    const response = await api.graphql('query Broken {');
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(lines.find((l) => l.msg === 'graphql request')?.errorCodes).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('codes a variable that does not coerce BAD_USER_INPUT and an unknown field GRAPHQL_VALIDATION_FAILED, by where they arise', async () => {
    api.actAs(viewers.analyst);
    const variable = await api.graphql('query ($n: Int) { users(first: $n) { totalCount } }', { n: 'many' });
    expect(variable.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const unknown = await api.graphql('{ noSuchField }');
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a host that is not loopback before anything else runs (while GraphiQL hands out a token)', async () => {
    const guarded = await startTestApi({ db: api.db, graphiqlHeaders: { authorization: 'Bearer demo' } });
    try {
      let status = 0;
      const lookups = await userLookups(async () => {
        const response = await guarded.yoga.fetch('http://rebound.example/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await guarded.tokenFor(viewers.analyst)}` },
          body: '{"query":"{ __typename }"}',
        });
        status = response.status;
        expect((await response.json()).errors[0].extensions.code).toBe('HOST_NOT_ALLOWED');
      });
      expect(status).toBe(403);
      expect(lookups).toBe(0);
    } finally {
      await guarded.close();
    }
  });
});

describe('dispose', () => {
  it('runs the onDispose hooks: a disposed server stops watching the database', async () => {
    const disposable = await startTestApi({ db: api.db, responseCache: {} });
    // The metrics plugin times statements that wait for a lock, until its onDispose hook stops it.
    const lockWaits = async () =>
      (await disposable.server.metrics.lockWait.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    const takeLock = () => api.db.prisma.$transaction([api.db.prisma.$executeRaw`SELECT pg_advisory_xact_lock(915001)`]);
    const before = await lockWaits();
    await takeLock();
    expect(await lockWaits()).toBe(before + 1);
    await disposable.close(); // server.dispose()
    await takeLock();
    expect(await lockWaits()).toBe(before + 1);
  });
});
