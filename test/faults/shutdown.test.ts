// SIGTERM on a real process: new connections are refused at once, a download in flight finishes whole,
// a client that stalls cannot hold the process past the shutdown deadline, and the exit code is 0.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { TEST_JWT_SECRET } from '../kit/api.js';
import { createTestDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';
import { killServerProcesses, startServerProcess, waitFor } from '../kit/server-process.js';

let db: TestDatabase;
let token: string;
let rows: number;

// A download of several MB: far more than socket buffers hold, so it is really in flight when SIGTERM comes.
beforeAll(async () => {
  if (testDatabaseMode() !== 'postgres') return;
  db = await createTestDatabase();
  await db.sql.exec(`
    INSERT INTO users (email, name, role, city, country, updated_at) VALUES ('admin@example.com', 'Admin', 'ADMIN', 'Oslo', 'NO', now());
    INSERT INTO users (email, name, city, country, updated_at)
      SELECT 'p' || g || '@example.com', 'Person ' || g, 'Porto', 'PT', now() FROM generate_series(1, 1000) g;
    INSERT INTO weekly_reports (user_id, week, workdays, stress_level, highlights, updated_at)
      SELECT u.id, '2025-W' || lpad(w::text, 2, '0'), 5, 1 + (u.id + w) % 10, repeat('highlight ', 20), now()
      FROM users u CROSS JOIN generate_series(1, 40) w WHERE u.email LIKE 'p%';`);
  const [admin] = await db.sql.query<{ id: number }>("SELECT id FROM users WHERE email = 'admin@example.com'");
  token = await createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '5m' })(String(admin!.id));
  rows = (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM weekly_reports'))[0]!.n;
}, 120_000);

afterAll(async () => {
  killServerProcesses();
  await db?.destroy();
});

/** GET the export with a raw node:http request, so the test controls when the body is read. */
function openDownload(port: number) {
  return new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/export/weekly-reports.csv', headers: { authorization: `Bearer ${token}` } },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

async function readAll(response: import('node:http').IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += (chunk as Buffer).toString('utf8');
  return text;
}

describe.runIf(testDatabaseMode() === 'postgres')('SIGTERM', () => {
  it('refuses new connections, finishes the download in flight, exits 0', async () => {
    const api = await startServerProcess({
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      REPORT_CRON: 'off',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    const response = await openDownload(api.port);
    expect(response.statusCode).toBe(200);
    response.pause(); // the server is now held by backpressure, mid-export
    await new Promise((r) => setTimeout(r, 300));
    api.child.kill('SIGTERM');
    await waitFor('the shutdown to start', () => /shutting down/.test(api.output()));
    await expect(fetch(`http://127.0.0.1:${api.port}/healthz`)).rejects.toThrow();
    const text = await readAll(response);
    const lines = text.split('\n').filter((l) => /^\d+,\d{4}-W\d{2},/.test(l));
    expect(lines).toHaveLength(rows);
    expect(await api.exit).toBe(0);
  }, 120_000);

  it('does not let a stalled client hold the process past the deadline', async () => {
    const api = await startServerProcess({
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      REPORT_CRON: 'off',
      RATE_LIMIT_PER_MINUTE: '0',
      SHUTDOWN_TIMEOUT_MS: '2000',
    });
    const response = await openDownload(api.port);
    response.pause(); // and never read again
    const sent = Date.now();
    api.child.kill('SIGTERM');
    expect(await api.exit).toBe(0);
    const took = Date.now() - sent;
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(15_000);
    expect(api.output()).toMatch(/closed \d+ connection\(s\) still open at the shutdown deadline/);
    response.destroy();
  }, 120_000);
});
