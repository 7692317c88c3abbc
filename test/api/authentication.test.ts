// Every request proves who it is: bearer JWTs of active users, or the scheduler's service token.
// Every failure is the same UNAUTHENTICATED 401, with nothing that helps an attacker.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { expectErrorCode, expectNoGraphQLErrors, TEST_JWT_SECRET, TEST_SERVICE_TOKEN, untilApplied } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api, team } = setupTestApi({ team: { users: 12, weeks: 2 } });

const QUERY = graphql(`query AuthenticationUserCount { users(first: 1) { totalCount } }`);
const key = (secret: string) => new TextEncoder().encode(secret);

async function withAuthorization(value: string | undefined) {
  api.actAs(null);
  return api.graphql(QUERY, undefined, value === undefined ? {} : { authorization: value });
}

describe('refused identities', () => {
  const cases: [string, () => Promise<string | undefined>][] = [
    ['no header', async () => undefined],
    ['an empty bearer', async () => 'Bearer '],
    ['another scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['garbage', async () => 'Bearer not.a.jwt'],
    [
      'a wrong signature',
      async () =>
        `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(team.adminId)).setExpirationTime('1h').sign(key('another-secret-that-is-32-bytes-long!!'))}`,
    ],
    [
      'an expired token',
      async () =>
        `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(team.adminId)).setIssuedAt(1_700_000_000).setExpirationTime(1_700_000_600).sign(key(TEST_JWT_SECRET))}`,
    ],
    [
      'a token without expiry',
      async () =>
        `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(team.adminId)).sign(key(TEST_JWT_SECRET))}`,
    ],
    [
      'alg none',
      async () => {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        return `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: String(team.adminId), exp: 4_000_000_000 })}.`;
      },
    ],
    ['an unknown user', async () => `Bearer ${await api.tokenFor(999_999)}`],
    [
      'a non-numeric subject',
      async () =>
        `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setIssuedAt().setExpirationTime('1h').sign(key(TEST_JWT_SECRET))}`,
    ],
    [
      'a subject beyond the id column',
      async () =>
        `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('99999999999').setIssuedAt().setExpirationTime('1h').sign(key(TEST_JWT_SECRET))}`,
    ],
    [
      'a token valid for a hundred years',
      async () =>
        `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(team.adminId)).setIssuedAt().setExpirationTime('100y').sign(key(TEST_JWT_SECRET))}`,
    ],
    [
      'a token living one second longer than JWT_MAX_AGE',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(String(team.adminId))
          .setIssuedAt(now)
          .setExpirationTime(now + 12 * 3600 + 1)
          .sign(key(TEST_JWT_SECRET))}`;
      },
    ],
    [
      'a token without iat',
      async () =>
        `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(team.adminId)).setExpirationTime('1h').sign(key(TEST_JWT_SECRET))}`,
    ],
    [
      'a token issued in the future',
      async () => {
        const later = Math.floor(Date.now() / 1000) + 3600;
        return `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(String(team.adminId))
          .setIssuedAt(later)
          .setExpirationTime(later + 600)
          .sign(key(TEST_JWT_SECRET))}`;
      },
    ],
    ['a wrong service token', async () => `Bearer ${TEST_SERVICE_TOKEN.slice(0, -1)}x`],
  ];

  it.each(cases)('refuses %s with the same 401 UNAUTHENTICATED', async (_name, header) => {
    const response = await withAuthorization(await header());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expectErrorCode(response, 'UNAUTHENTICATED');
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.message).toBe('Authentication required: send a valid bearer token.');
    expect(response.data ?? null).toBeNull();
  });

  it('refuses an inactive user’s valid token', async () => {
    const inactive = team.userIds.find((_, i) => i % 23 === 22) ?? team.userIds[11]!;
    await api.db.prisma.user.update({ where: { id: inactive }, data: { active: false } });
    const response = await withAuthorization(`Bearer ${await api.tokenFor(inactive)}`);
    expect(response.status).toBe(401);
    expectErrorCode(response, 'UNAUTHENTICATED');
  });
});

describe('accepted identities', () => {
  it('accepts a token that lives exactly JWT_MAX_AGE', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(team.adminId))
      .setIssuedAt(now)
      .setExpirationTime(now + 12 * 3600)
      .sign(key(TEST_JWT_SECRET));
    expectNoGraphQLErrors(await withAuthorization(`Bearer ${token}`));
  });

  it('accepts a valid user token', async () => {
    const response = await withAuthorization(`Bearer ${await api.tokenFor(team.adminId)}`);
    expectNoGraphQLErrors(response);
    expect(response.data.users.totalCount).toBeGreaterThan(0);
  });

  it('takes the role from the database, not the token', async () => {
    const employee = team.userIds[3]!;
    const token = await api.tokenFor(employee);
    const before = await withAuthorization(`Bearer ${token}`);
    const [all] = await api.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM weekly_reports');
    await api.db.prisma.user.update({ where: { id: employee }, data: { role: 'ANALYST' } });
    try {
      // Within the viewer cache's bound (viewer-cache.test.ts), usually at once.
      const after = await untilApplied(
        () =>
          api.graphql(graphql(`query AuthenticationReportCount { weeklyReports(first: 1) { totalCount } }`), undefined, {
            authorization: `Bearer ${token}`,
          }),
        (r) => r.data?.weeklyReports.totalCount === all!.n,
      );
      expectNoGraphQLErrors(before);
      expectNoGraphQLErrors(after);
    } finally {
      await api.db.prisma.user.update({ where: { id: employee }, data: { role: 'EMPLOYEE' } });
    }
  });

  it('lets the service token in, but it may read nothing', async () => {
    api.actAs('service');
    const response = await api.graphql(QUERY);
    expect(response.status).toBe(200);
    expectErrorCode(response, 'FORBIDDEN');
    expect(response.data ?? null).toBeNull();
  });
});

describe('configuration', () => {
  it('refuses to start in production without a JWT secret or JWKS URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://id.example/jwks.json' }).auth.jwksUrl).toBeDefined();
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET }).auth.jwtSecret).toBe(TEST_JWT_SECRET);
  });

  it('caps JWT_TTL by JWT_MAX_AGE', () => {
    expect(loadConfig({}).auth.maxAgeSeconds).toBe(12 * 3600);
    expect(loadConfig({ JWT_MAX_AGE: '30m', JWT_TTL: '15m' }).auth.maxAgeSeconds).toBe(1800);
    expect(() => loadConfig({ JWT_MAX_AGE: '1h' })).toThrow(/JWT_TTL: must not be longer than JWT_MAX_AGE/);
    expect(() => loadConfig({ JWT_MAX_AGE: 'forever' })).toThrow(/JWT_MAX_AGE/);
  });

  it('never prints secret values in configuration errors', () => {
    const secret = 'tiny-secret';
    try {
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, SERVICE_TOKEN: 'short-service-token' });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems.length).toBeGreaterThanOrEqual(2);
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).not.toContain('short-service-token');
    }
  });
});
