// Weekly summary generation end to end: exactly once under concurrent triggers, returned at once, written
// by the real OpenAI SDK and delivered by the real Telegram client against fake servers on 127.0.0.1.
import type { VariablesOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openAiWriter } from '../../src/infra/openai-writer.js';
import { telegramMessenger } from '../../src/infra/telegram.js';
import { computeWeekStats } from '../../src/services/compute-week-stats.js';
import { expectErrorCode, expectNoGraphQLErrors, TEST_SERVICE_TOKEN } from '../kit/api.js';
import {
  completion,
  fakeOpenAi,
  fakeTelegram,
  openAiError,
  telegramError,
  type ChatCompletionRequest,
  type FakeServer,
  type TelegramSendMessage,
} from '../kit/fake-providers.js';
import { graphql } from '../kit/generated/index.js';
import { TEAM_END_WEEK } from '../kit/scenarios.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const BOT_TOKEN = '123456:fake-bot-token-that-must-not-leak';
const GENERATE =
  graphql(`mutation GenerateWeeklyReportRun($week: IsoWeek, $force: Boolean) { generateWeeklyReport(week: $week, force: $force) {
  summary { id week status version attempts lastError summary summarySource model delivery { status telegramMessageIds } } } }`);
const SUMMARY = graphql(`query GenerateWeeklyReportSummary($week: IsoWeek!) { weeklySummary(week: $week) {
  id status version attempts lastError summary summarySource model delivery { status telegramMessageIds }
  stats { week reportsSubmitted activeUsers averageStress hr { hires } ops { incidents } } } }`);

let openai: FakeServer<ChatCompletionRequest>;
let telegram: FakeServer<TelegramSendMessage>;
beforeAll(async () => {
  [openai, telegram] = await Promise.all([fakeOpenAi(), fakeTelegram()]);
});
afterAll(async () => {
  await Promise.all([openai?.close(), telegram?.close()]);
});
const { api, db, team } = setupTestApi(() => ({
  reports: {
    writer: openAiWriter({ apiKey: 'sk-test', model: 'fake-gpt', baseUrl: `${openai.url}/v1`, timeoutMs: 5_000, maxRetries: 2 }),
    messenger: telegramMessenger({ apiUrl: telegram.url, botToken: BOT_TOKEN, chatId: '-100200300', retries: 3 }),
    leaseTtlMs: 5_000,
  },
  team: { users: 20, weeks: 3 },
}));
beforeEach(() => {
  openai.reset();
  telegram.reset();
});

async function generate(actor: number | 'service', variables: VariablesOf<typeof GENERATE>) {
  api.actAs(actor);
  return api.graphql(GENERATE, variables);
}

async function summaryOf(week: string) {
  await api.worker.idle();
  api.actAs(team.adminId);
  const response = await api.graphql(SUMMARY, { week });
  expectNoGraphQLErrors(response);
  const summary = response.data.weeklySummary;
  expect(summary, `no summary of ${week}`).not.toBeNull();
  return summary!;
}

describe('exactly once', () => {
  it('makes one summary, one OpenAI call and one Telegram message out of 50 concurrent triggers', async () => {
    const week = TEAM_END_WEEK;
    const actors: (number | 'service')[] = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 'service' : team.adminId));
    const answers = await Promise.all(actors.map((actor) => generate(actor, { week })));
    const ids = new Set<string>();
    for (const answer of answers) {
      expectNoGraphQLErrors(answer);
      ids.add(answer.data.generateWeeklyReport.summary.id);
      // It answers at once, before the text exists.
      expect(['QUEUED', 'RUNNING', 'SUCCEEDED']).toContain(answer.data.generateWeeklyReport.summary.status);
    }
    expect(ids.size).toBe(1);
    const summary = await summaryOf(week);
    expect(summary).toMatchObject({ status: 'SUCCEEDED', version: 1, attempts: 1, summarySource: 'OPENAI', model: 'fake-gpt' });
    expect(summary.delivery.status).toBe('DELIVERED');
    expect(openai.calls).toHaveLength(1);
    expect(telegram.calls).toHaveLength(1);
    expect(telegram.calls[0]!.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(telegram.calls[0]!.body).toMatchObject({ chat_id: '-100200300', parse_mode: 'HTML', text: summary.summary });
    // The prompt carries figures, never people's emails.
    expect(JSON.stringify(openai.calls[0]!.body)).not.toMatch(/@example\.com/);
    const [rows] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM weekly_summaries WHERE week = $1', [week]);
    expect(rows!.n).toBe(1);
    expect(summary.stats!.reportsSubmitted).toBeGreaterThan(0);

    // A finished week is returned as it is: no second call, no second message.
    const again = await generate('service', { week });
    expectNoGraphQLErrors(again);
    expect(again.data.generateWeeklyReport.summary).toMatchObject({ status: 'SUCCEEDED', version: 1 });
    await api.worker.idle();
    expect(openai.calls).toHaveLength(1);
    expect(telegram.calls).toHaveLength(1);

    // force (ADMIN) makes a new version.
    const forced = await generate(team.adminId, { week, force: true });
    expectNoGraphQLErrors(forced);
    const second = await summaryOf(week);
    expect(second).toMatchObject({ status: 'SUCCEEDED', version: 2 });
    expect(openai.calls).toHaveLength(2);
    expect(telegram.calls).toHaveLength(2);
  });
});

describe('who may trigger', () => {
  it('allows ADMIN and the service; refuses everyone else, and force for the service', async () => {
    const week = '2026-W30';
    for (const actor of [team.userIds[3]!, team.managerIds[0]!, team.userIds.find((_, i) => i % 17 === 5)!]) {
      expectErrorCode(await generate(actor, { week }), 'FORBIDDEN');
    }
    expectErrorCode(await generate('service', { week, force: true }), 'FORBIDDEN');
    api.actAs(null);
    expectErrorCode(await api.graphql(GENERATE, { week }), 'UNAUTHENTICATED');
    // The service identity can trigger, but reads nothing else.
    api.actAs('service');
    expectErrorCode(await api.graphql(SUMMARY, { week }), 'FORBIDDEN');
    await api.worker.idle();
  });

  it('defaults to the last complete ISO week', async () => {
    const response = await generate('service', {});
    expectNoGraphQLErrors(response);
    const { lastCompleteWeek } = await import('../../src/domain/iso-week.js');
    expect(response.data.generateWeeklyReport.summary.week).toBe(lastCompleteWeek('UTC'));
    await api.worker.idle();
  });
});

describe('flaky providers', () => {
  it('retries OpenAI 429s as told by retry-after-ms, then succeeds', async () => {
    openai.script([
      openAiError(429, 'slow down', { 'retry-after-ms': '300' }),
      openAiError(429, 'slow down', { 'retry-after-ms': '300' }),
      completion('Third time lucky.'),
    ]);
    await generate('service', { week: '2026-W31' });
    const summary = await summaryOf('2026-W31');
    expect(summary).toMatchObject({ status: 'SUCCEEDED', summary: 'Third time lucky.' });
    expect(openai.calls).toHaveLength(3);
    expect(openai.calls[1]!.at - openai.calls[0]!.at).toBeGreaterThanOrEqual(280);
    expect(openai.calls[2]!.at - openai.calls[1]!.at).toBeGreaterThanOrEqual(280);
  });

  it('fails on persistent 500s without sending anything, releases the lease, and retries on the next trigger', async () => {
    openai.script(Array.from({ length: 3 }, () => openAiError(500, 'boom')));
    await generate('service', { week: '2026-W32' });
    const failed = await summaryOf('2026-W32');
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError).toMatch(/500/);
    expect(openai.calls).toHaveLength(3);
    expect(telegram.calls).toHaveLength(0);
    const [lease] = await db.sql.query<{ free: boolean }>(
      "SELECT expires_at <= now() AS free FROM job_locks WHERE name = 'weekly-summary' AND key = '2026-W32'",
    );
    expect(lease!.free).toBe(true);

    await generate('service', { week: '2026-W32' });
    const retried = await summaryOf('2026-W32');
    expect(retried).toMatchObject({ status: 'SUCCEEDED', attempts: 2, lastError: null });
    expect(openai.calls).toHaveLength(4);
    expect(telegram.calls).toHaveLength(1);
  });

  it('does not retry an OpenAI 400', async () => {
    openai.script([openAiError(400, 'bad request')]);
    await generate('service', { week: '2026-W33' });
    const summary = await summaryOf('2026-W33');
    expect(summary.status).toBe('FAILED');
    expect(openai.calls).toHaveLength(1);
  });

  it('waits Telegram’s retry_after on 429 and delivers one message', async () => {
    telegram.script([telegramError(429, 'Too Many Requests: retry after 1', 1)]);
    await generate('service', { week: '2026-W34' });
    const summary = await summaryOf('2026-W34');
    expect(summary.delivery.status).toBe('DELIVERED');
    expect(telegram.calls).toHaveLength(2);
    expect(telegram.calls[1]!.at - telegram.calls[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(summary.delivery.telegramMessageIds).toHaveLength(1);
  });

  it('fails at once on another Telegram 4xx, without leaking the bot token', async () => {
    telegram.script([telegramError(403, 'Forbidden: bot was kicked from the group chat')]);
    await generate('service', { week: '2026-W35' });
    const summary = await summaryOf('2026-W35');
    expect(summary).toMatchObject({ status: 'FAILED', delivery: { status: 'FAILED' } });
    expect(summary.lastError).toMatch(/403.*kicked/);
    expect(summary.lastError).not.toContain(BOT_TOKEN);
    expect(telegram.calls).toHaveLength(1);
    // The text is kept: a retry delivers without asking OpenAI again.
    const calls = openai.calls.length;
    await generate('service', { week: '2026-W35' });
    expect((await summaryOf('2026-W35')).delivery.status).toBe('DELIVERED');
    expect(openai.calls).toHaveLength(calls);
  });
});

describe('crash safety', () => {
  it('resumes a run that crashed between text and delivery: delivers once, no new OpenAI call', async () => {
    const week = '2026-W36';
    // The state a crashed instance leaves: text recorded, delivery pending, status RUNNING, lease expired.
    const stats = await computeWeekStats({ prisma: db.prisma, week });
    await db.sql.query(
      `INSERT INTO weekly_summaries (week, status, stats, summary, summary_source, model, attempts, updated_at)
       VALUES ($1, 'RUNNING', $2, 'Recorded before the crash.', 'OPENAI', 'fake-gpt', 1, now())`,
      [week, JSON.stringify(stats)],
    );
    await db.sql.query(
      `INSERT INTO job_locks (name, key, owner, fencing_token, acquired_at, expires_at)
       VALUES ('weekly-summary', $1, 'crashed-instance', 7, now() - interval '2 minutes', now() - interval '1 minute')`,
      [week],
    );
    expect(await api.worker.recover()).toContain(week);
    const summary = await summaryOf(week);
    expect(summary).toMatchObject({ status: 'SUCCEEDED', attempts: 2, summary: 'Recorded before the crash.' });
    expect(openai.calls).toHaveLength(0);
    expect(telegram.calls).toHaveLength(1);
    expect(telegram.calls[0]!.body.text).toBe('Recorded before the crash.');
    const [lease] = await db.sql.query<{ fencing_token: string }>('SELECT fencing_token::text FROM job_locks WHERE key = $1', [week]);
    expect(lease!.fencing_token).toBe('8');
  });

  it('leaves a summary whose lease is alive to its holder', async () => {
    const week = '2026-W37';
    await db.sql.query(`INSERT INTO weekly_summaries (week, status, updated_at) VALUES ($1, 'RUNNING', now())`, [week]);
    await db.sql.query(
      `INSERT INTO job_locks (name, key, owner, fencing_token, acquired_at, expires_at)
       VALUES ('weekly-summary', $1, 'another-instance', 1, now(), now() + interval '1 minute')`,
      [week],
    );
    const answer = await generate('service', { week });
    expectNoGraphQLErrors(answer);
    expect(answer.data.generateWeeklyReport.summary.status).toBe('RUNNING');
    expect(await api.worker.enqueue(week)).toBe('busy');
    expect(openai.calls).toHaveLength(0);
  });
});

it('uses the service token only as a bearer token', () => {
  expect(TEST_SERVICE_TOKEN.length).toBeGreaterThanOrEqual(32);
});
