// `npm start` as a newcomer and an operator run it: a real process on a real port, in both database modes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { TEST_JWT_SECRET } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { killServerProcesses, postGraphQL, startServerProcess, type ServerProcess } from '../kit/server-process.js';
import { createEmptyDatabase, createTestDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// A first embedded start runs initdb, migrations and the demo seed: give slow, shared machines room.
const START_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: START_TIMEOUT_MS * 2 });

afterAll(killServerProcesses);

type Running = ServerProcess;

/** Starts src/main.ts like `npm start`; resolves once it logs that it is ready. */
const start = (env: Record<string, string | undefined>): Promise<Running> => startServerProcess(env, { timeoutMs: START_TIMEOUT_MS });

/** Runs `npm run token` (scripts/token.ts) against an embedded folder. */
function token(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_DB_DIR: dataDir };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  return running.exit;
}

/** The demo analyst's token that the embedded default prints at start. */
function demoToken(running: Running, role = 'ANALYST'): string {
  const match = new RegExp(`${role} +\\S+\\n +(\\S+)`).exec(running.output());
  if (!match) throw new Error(`no ${role} token in the output:\n${running.output()}`);
  return match[1]!;
}

const USER_COUNT = graphql(`query StartUserCount { users(first: 1) { totalCount } }`);
const USER_NAMES = graphql(`query StartUserNames { users(first: 1) { totalCount edges { node { name } } } }`);
const REPORT_COUNT = graphql(`query StartReportCount { weeklyReports(first: 1) { totalCount } }`);
const USER_COUNTRIES = graphql(`query StartUserCountries { users { edges { node { name country } } } }`);

describe('embedded default (no DATABASE_URL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'pglite');

  it('migrates, seeds demo data, serves GraphQL, health and GraphiQL, and stops cleanly on SIGTERM', async () => {
    const running = await start({ EMBEDDED_DB_DIR: dataDir });
    try {
      const anonymous = await postGraphQL(running.url, USER_COUNT);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      const token = demoToken(running);
      const { status, body } = await postGraphQL(running.url, USER_NAMES, {}, token);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data?.users.totalCount).toBe(200);
      const reports = await postGraphQL(running.url, REPORT_COUNT, {}, token);
      expect(reports.body.data?.weeklyReports.totalCount).toBeGreaterThan(200 * 12 * 0.6);

      expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${running.port}/readyz`)).status).toBe(200);
      const page = await fetch(`http://127.0.0.1:${running.port}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toMatch(/graphiql/i);
      // GraphiQL opens with the demo analyst's Authorization header filled in.
      expect(html).toContain(token);

      // A second process must not open the same data folder.
      await expect(start({ EMBEDDED_DB_DIR: dataDir })).rejects.toMatchObject({
        code: 1,
        output: expect.stringMatching(/in use by another process/),
      });
    } finally {
      expect(await stop(running)).toBe(0);
    }
    expect(running.output()).toMatch(/stopped/);
  });

  it('keeps its data across restarts and does not seed twice', async () => {
    const running = await start({ EMBEDDED_DB_DIR: dataDir });
    try {
      const { body } = await postGraphQL(running.url, USER_COUNT, {}, demoToken(running));
      expect(body.data?.users.totalCount).toBe(200);
      expect(running.output()).not.toMatch(/seeding demo data/);

      // `npm run token` while the server holds the folder: a clear refusal, and the data is unharmed.
      const refused = await token(dataDir, ['--role', 'MANAGER']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/in use by the running server/);
      expect((await postGraphQL(running.url, USER_COUNT, {}, demoToken(running))).body.data?.users.totalCount).toBe(200);
    } finally {
      expect(await stop(running)).toBe(0);
    }
  });

  it('`npm run token` signs a token for a seeded user that the server accepts', async () => {
    const issued = await token(dataDir, ['--role', 'manager']);
    expect(issued.code, issued.stderr).toBe(0);
    const managerToken = issued.stdout.trim().split('\n').at(-1)!;
    expect(managerToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(issued.stderr).toMatch(/^MANAGER /);
    expect((await token(dataDir, ['--email', 'nobody@nowhere.example'])).stderr).toMatch(/no active user/);
    expect((await token(dataDir, ['--role', 'KING'])).code).toBe(2);

    const running = await start({ EMBEDDED_DB_DIR: dataDir });
    try {
      const { body } = await postGraphQL(running.url, REPORT_COUNT, {}, managerToken);
      expect(body.errors).toBeUndefined();
      // A manager sees their own and their direct reports' reports: some, not all.
      const all = await postGraphQL(running.url, REPORT_COUNT, {}, demoToken(running));
      expect(body.data?.weeklyReports.totalCount).toBeGreaterThan(0);
      expect(body.data?.weeklyReports.totalCount).toBeLessThan(all.body.data!.weeklyReports.totalCount);
    } finally {
      expect(await stop(running)).toBe(0);
    }
  });

  it('refuses to start with an invalid configuration, one line per problem', async () => {
    const error = await start({ EMBEDDED_DB_DIR: dataDir, PORT: 'eighty', LOG_LEVEL: 'loud' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 1 });
    const { output } = error as { output: string };
    expect(output).toMatch(/config: PORT: /);
    expect(output).toMatch(/config: LOG_LEVEL: /);
  });
});

describe.runIf(testDatabaseMode() === 'postgres')('PostgreSQL (DATABASE_URL)', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.destroy();
  });

  it('serves a migrated database', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const [ada] = await db.sql.query<{ id: number }>(
      `INSERT INTO users (email, name, role, city, country, updated_at) VALUES ('a@example.com', 'Ada', 'ANALYST', 'Berlin', 'DE', now()) RETURNING id`,
    );
    const running = await start({ DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });
    try {
      const token = await createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '5m' })(String(ada!.id));
      const { body } = await postGraphQL(running.url, USER_COUNTRIES, {}, token);
      expect(body.data?.users.edges).toEqual([{ node: { name: 'Ada', country: 'DE' } }]);
      expect((await fetch(`http://127.0.0.1:${running.port}/readyz`)).status).toBe(200);
    } finally {
      expect(await stop(running)).toBe(0);
    }
  });

  it.runIf(process.env.REDIS_URL)('two processes sharing Redis share cached responses and invalidations', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const [ann] = await db.sql.query<{ id: number }>(
      `INSERT INTO users (email, name, role, city, country, updated_at) VALUES ('ann@example.com', 'Ann', 'EMPLOYEE', 'Lyon', 'FR', now()) RETURNING id`,
    );
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: `wp-start-${ann!.id}-${Date.now()}:`,
      JWT_SECRET: TEST_JWT_SECRET,
    };
    const [a, b] = await Promise.all([start(env), start(env)]);
    try {
      const token = await createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '5m' })(String(ann!.id));
      const read = async (port: number) => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ me { reports(first: 10) { totalCount } } }' }),
        });
        const body = (await response.json()) as {
          data: { me: { reports: { totalCount: number } } };
          extensions?: { responseCache?: { hit: boolean } };
        };
        return { count: body.data.me.reports.totalCount, hit: body.extensions?.responseCache?.hit };
      };
      expect(await read(a.port)).toEqual({ count: 0, hit: false });
      expect(await read(b.port)).toEqual({ count: 0, hit: true });
      const submitted = await fetch(`http://127.0.0.1:${b.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: 'mutation($i: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $i) { report { week } } }',
          variables: { i: { week: '2026-W01', workdays: 5, stressLevel: 3, highlights: 'two processes' } },
        }),
      });
      expect(((await submitted.json()) as { errors?: unknown }).errors).toBeUndefined();
      expect(await read(a.port)).toEqual({ count: 1, hit: false });
    } finally {
      expect(await stop(a)).toBe(0);
      expect(await stop(b)).toBe(0);
    }
  });

  it('refuses to start on a database with pending migrations', async () => {
    const db = await createEmptyDatabase();
    databases.push(db);
    const error = await start({ DATABASE_URL: db.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 1, output: expect.stringMatching(/pending migration.*npm run db:migrate/) });
  });
});
