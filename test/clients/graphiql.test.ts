// GraphiQL as an analyst meets it: the embedded default started like `npm start`, its page opened in a real
// headless Chromium, a query typed into the editor and run with the demo analyst's header filled in.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoToken, killServerProcesses, startServerProcess, type ServerProcess } from '../kit/server-process.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'test-results/graphiql.png';
// Without the background-networking flags Chromium keeps dialling Google's services, which a closed
// network refuses; the page itself must need nothing but our server.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const haveChromium = existsSync(CHROMIUM);
// CI must run this test: a missing browser fails there (in the test below) instead of skipping.
const runs = haveChromium || process.env.CI === 'true';

describe.runIf(runs)('GraphiQL in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
    [server, browser] = await Promise.all([
      startServerProcess({ EMBEDDED_DB_DIR: 'memory://', REPORT_CRON: 'off' }, { timeoutMs: 120_000 }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    if (server) await server.stop();
    killServerProcesses();
  });

  it('loads from the server alone, and a typed query runs with the analyst header and shows data', async () => {
    const analystToken = demoToken(server.output(), 'ANALYST');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const foreign: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['blob:', 'data:'].includes(url.protocol) && url.host !== `127.0.0.1:${server.port}`) foreign.push(request.url());
    });
    const graphqlPosts: { authorization?: string; body: string | null }[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === server.url) {
        graphqlPosts.push({ authorization: request.headers().authorization, body: request.postData() });
      }
    });

    await page.goto(server.url);
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 60_000 });

    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // insertText, not type(): the editor would auto-close every brace typed one key at a time.
    await page.keyboard.insertText(
      'query AnalystView { users(first: 3, filter: { country: "DE" }) { totalCount edges { node { name city } } } }',
    );
    const answered = page.waitForResponse(
      (r) => r.url() === server.url && r.request().method() === 'POST' && r.request().postData()?.includes('AnalystView') === true,
    );
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.status()).toBe(200);

    // The response pane is an editor too: it renders spaces as no-break spaces.
    const shown = page.locator('.graphiql-response');
    // The rendered text, one line per editor line (allInnerTexts of the one element: Biome takes innerText() for the DOM's).
    const shownJson = async () => (await shown.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
    await expect.poll(shownJson, { timeout: 30_000 }).toMatch(/"totalCount": \d+/);
    const result = JSON.parse(await shownJson()) as {
      data: { users: { totalCount: number; edges: { node: { name: string; city: string } }[] } };
      errors?: unknown[];
    };
    expect(result.errors).toBeUndefined();
    expect(result.data.users.totalCount).toBeGreaterThan(0);
    expect(result.data.users.edges).toHaveLength(3);
    for (const { node } of result.data.users.edges) expect(node.name).toBeTruthy();

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const sent = graphqlPosts.find((p) => p.body?.includes('AnalystView'));
    expect(sent?.authorization).toBe(`Bearer ${analystToken}`);
    expect(foreign, 'GraphiQL must not fetch anything from outside the server').toEqual([]);
  });
});
