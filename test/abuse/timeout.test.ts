// REQUEST_TIMEOUT_MS bounds how long a request may hold the server: a request whose body never finishes
// or whose execution waits on the database is answered 503 REQUEST_TIMEOUT once it is late, in process
// and over real HTTP (where body size is enforced on a chunked upload too).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { testDatabaseMode } from '../kit/database.js';
import { expectNoGraphQLErrors, GRAPHQL_URL } from '../kit/api.js';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../kit/server-process.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const TIMEOUT_MS = 1_000;

const { api } = setupTestApi({ limits: { requestTimeoutMs: TIMEOUT_MS }, team: { users: 12, weeks: 1 }, actAs: 'admin' });

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

describe('in process', () => {
  it('answers 503 REQUEST_TIMEOUT when the body never finishes arriving', async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query": "{ me { na'));
      },
    });
    const { value: response, ms } = await timed(async () =>
      api.yoga.fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stalled,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(503);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('REQUEST_TIMEOUT');
    expect(body.errors[0]!.message).toMatch(/took longer than 1000 ms/);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + 3_000);
  });

  // PGlite has one connection and no locks another session could hold: the wait is PostgreSQL's.
  it.skipIf(testDatabaseMode() === 'embedded')(
    'answers 503 when execution waits on a locked table, and serves the next request',
    async () => {
      await api.db.sql.transaction(async (tx) => {
        await tx.exec('LOCK TABLE team_meetings IN ACCESS EXCLUSIVE MODE');
        const { value: response, ms } = await timed(() => api.graphql('{ teamMeetings(first: 1) { edges { node { title } } } }'));
        expect(response.status).toBe(503);
        expect(response.errors?.[0]?.extensions?.code).toBe('REQUEST_TIMEOUT');
        expect(ms).toBeLessThan(TIMEOUT_MS + 3_000);
      });
      expectNoGraphQLErrors(await api.graphql('{ teamMeetings(first: 1) { edges { node { title } } } }'));
    },
  );

  it('reads REQUEST_TIMEOUT_MS and MAX_BODY_BYTES from the environment', () => {
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '1500', MAX_BODY_BYTES: '4096' }).limits).toMatchObject({
      requestTimeoutMs: 1_500,
      maxBodyBytes: 4_096,
    });
    expect(loadConfig({}).limits).toMatchObject({ requestTimeoutMs: 30_000, maxBodyBytes: 1_000_000 });
  });
});

describe('over HTTP', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess(
      { EMBEDDED_DB_DIR: 'memory://', SEED_DEMO_DATA: 'false', REPORT_CRON: 'off', REQUEST_TIMEOUT_MS: '1000', MAX_BODY_BYTES: '2048' },
      { timeoutMs: 120_000 },
    );
  }, 150_000);
  afterAll(async () => {
    if (server) await server.stop();
    killServerProcesses();
  });

  /** Sends raw bytes and resolves with everything the server answered before it closed or `waitMs` passed. */
  function raw(chunks: string[], waitMs: number): Promise<{ text: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const socket = connect(server.port, '127.0.0.1');
      let text = '';
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ text, ms: performance.now() - started });
      };
      const timer = setTimeout(done, waitMs);
      socket.on('data', (d) => {
        text += d.toString();
        if (/\r\n\r\n/.test(text)) setTimeout(done, 50);
      });
      socket.on('close', done);
      socket.on('error', reject);
      for (const chunk of chunks) socket.write(chunk);
    });
  }

  it('answers a client that stops sending its body, instead of waiting for it', async () => {
    const head = 'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const { text, ms } = await raw([head, '{"query": "{ me'], 10_000);
    expect(text).toMatch(/^HTTP\/1\.1 (503|408)/);
    expect(ms).toBeLessThan(5_000);
  });

  it('answers a chunked body over MAX_BODY_BYTES with 413', async () => {
    const head = 'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const payload = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(4_000)}` });
    const chunked = `${payload.length.toString(16)}\r\n${payload}\r\n0\r\n\r\n`;
    const { text } = await raw([head, chunked], 10_000);
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toMatch(/REQUEST_ENTITY_TOO_LARGE/);
  });
});
