// The embedded default is safe on a laptop in a café: it listens on loopback unless told otherwise, lets
// no other origin read through the developer's browser (no CORS), and while GraphiQL's page carries the
// demo analyst's token it answers only requests addressed to localhost, so a page that points its own
// domain at 127.0.0.1 (DNS rebinding) gets nothing.
import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { startTestApi, TEST_JWT_SECRET } from '../kit/api.js';
import { setupTestApi, setupTestDatabase } from '../kit/setup-test-api.js';

// The database first: GraphiQL's token names a seeded user.
const { db, team } = setupTestDatabase({ team: { users: 12, weeks: 1 } });
let token: string;
const { api } = setupTestApi(async () => {
  token = await createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '1h' })(String(team.adminId));
  return { db, graphiqlHeaders: { Authorization: `Bearer ${token}` }, team: false };
});
let port: number;
beforeAll(async () => {
  port = Number(new URL((await api.listen()).origin).port);
});

/** A raw HTTP request to the server with any Host header (fetch would not send another). */
function send(host: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/graphql', method: init.method ?? 'GET', headers: { host, ...init.headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('GraphiQL with the demo token', () => {
  it.each(['localhost:4000', '127.0.0.1:4000', '[::1]:4000', 'LOCALHOST'])('is served to %s, token and all', async (host) => {
    const page = await send(host, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(token);
  });

  it.each(['evil.example', 'evil.example:4000', 'localhost.evil.example', '127.0.0.1.nip.io:4000'])(
    'is refused to %s, and so is the API',
    async (host) => {
      const page = await send(host, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(403);
      expect(page.body).not.toContain(token);
      expect(JSON.parse(page.body).errors[0].extensions.code).toBe('HOST_NOT_ALLOWED');
      const query = await send(host, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      expect(query.status).toBe(403);
      expect(query.body).not.toContain('@');
    },
  );

  it('lets no other origin read through the browser', async () => {
    const response = await send('localhost:4000', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('defaults', () => {
  it('listens on loopback and allows no other origin outside production; all interfaces in production', () => {
    expect(loadConfig({}).server).toMatchObject({ host: '127.0.0.1', corsOrigins: [] });
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).server).toMatchObject({ host: '0.0.0.0', corsOrigins: [] });
    expect(loadConfig({ HOST: '0.0.0.0' }).server.host).toBe('0.0.0.0');
  });

  it('answers any Host when GraphiQL carries no token (production behind its load balancer)', async () => {
    const plain = await startTestApi({ db: api.db });
    try {
      const { origin, close } = await plain.listen();
      const response = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: Number(new URL(origin).port), path: '/healthz', headers: { host: 'api.example.com' } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(response).toBe(200);
      await close();
    } finally {
      await plain.close();
    }
  });
});
