// `npm run trigger` as an external scheduler runs it: a real process calling the API over HTTP.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_SERVICE_TOKEN } from '../kit/api.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// As in production: the script must get by without sending GraphQL text.
const { api, team } = setupTestApi({ persistedOperations: { policy: 'enforce' }, team: { users: 12, weeks: 2 } });
let http: Server;
let apiUrl: string;

beforeAll(async () => {
  http = createServer(api.yoga);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
});

function trigger(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/trigger.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, API_URL: apiUrl, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

it('triggers a week with the service token and prints its state', async () => {
  const result = await trigger(['--week', '2026-W40'], { SERVICE_TOKEN: TEST_SERVICE_TOKEN });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^2026-W40 v1: (QUEUED|RUNNING|SUCCEEDED)/);
  await api.worker.idle();
  const [row] = await api.db.sql.query<{ status: string }>("SELECT status FROM weekly_summaries WHERE week = '2026-W40'");
  expect(row!.status).toBe('SUCCEEDED');
});

it('exits non-zero with a clear message on refusal, bad input or an unreachable API', async () => {
  const wrongToken = await trigger(['--week', '2026-W41'], { SERVICE_TOKEN: 'not-the-token' });
  expect(wrongToken.code).toBe(1);
  expect(wrongToken.stderr).toMatch(/UNAUTHENTICATED/);
  expect(wrongToken.stderr).not.toContain('not-the-token');

  const serviceForce = await trigger(['--week', '2026-W41', '--force'], { SERVICE_TOKEN: TEST_SERVICE_TOKEN });
  expect(serviceForce.code).toBe(1);
  expect(serviceForce.stderr).toMatch(/FORBIDDEN/);

  expect((await trigger(['--week', '2026-W60'], { SERVICE_TOKEN: TEST_SERVICE_TOKEN })).code).toBe(2);
  expect((await trigger([], {})).stderr).toMatch(/SERVICE_TOKEN/);
  const unreachable = await trigger([], { SERVICE_TOKEN: TEST_SERVICE_TOKEN, API_URL: 'http://127.0.0.1:9/graphql' });
  expect(unreachable.code).toBe(1);
  expect(unreachable.stderr).toMatch(/cannot reach/);
});

it('forces a new version with an ADMIN token', async () => {
  const token = await api.tokenFor(team.adminId);
  await trigger(['--week', '2026-W42'], { API_TOKEN: token });
  await api.worker.idle();
  const forced = await trigger(['--week', '2026-W42', '--force'], { API_TOKEN: token });
  expect(forced.code, forced.stderr).toBe(0);
  expect(forced.stdout).toMatch(/^2026-W42 v2:/);
  await api.worker.idle();
});
