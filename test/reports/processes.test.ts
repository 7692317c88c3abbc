// Weekly summaries across real API processes on one PostgreSQL database, with the real OpenAI SDK and
// Telegram client against the fake providers: two instances firing the same cron make one summary, and a
// process killed between the text and its delivery is finished by the next one without a new OpenAI call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lastCompleteWeek, previousWeek } from '../../src/domain/iso-week.js';
import { SUMMARY_LOCK } from '../../src/services/run-weekly-summary.js';
import { TEST_JWT_SECRET, TEST_SERVICE_TOKEN } from '../kit/api.js';
import { createTestDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';
import {
  completion,
  fakeOpenAi,
  fakeTelegram,
  type ChatCompletionRequest,
  type FakeServer,
  type TelegramSendMessage,
} from '../kit/fake-providers.js';
import { graphql } from '../kit/generated/index.js';
import { killServerProcesses, postGraphQL, startServerProcess, waitFor, type ServerProcess } from '../kit/server-process.js';

const BOT_TOKEN = '777:processes-test-token';
const CHAT_ID = '-100777';
const GENERATE = graphql(`mutation ProcessesGenerate($week: IsoWeek) { generateWeeklyReport(week: $week) { summary { id week status } } }`);
const TRIGGERED = 'scheduled weekly summary triggered';

interface SummaryRow {
  week: string;
  status: string;
  delivery_status: string;
  summary: string | null;
  attempts: number;
  telegram_message_ids: number[] | null;
  finished_ms: number | null;
}

describe.runIf(testDatabaseMode() === 'postgres')('weekly summaries across processes (PostgreSQL)', () => {
  let db: TestDatabase;
  let openai: FakeServer<ChatCompletionRequest>;
  let telegram: FakeServer<TelegramSendMessage>;

  beforeAll(async () => {
    [db, openai, telegram] = await Promise.all([createTestDatabase(), fakeOpenAi(), fakeTelegram()]);
    await seedWeeks(db, [...new Set([lastCompleteWeek('UTC'), previousWeek(lastCompleteWeek('UTC')), '2026-W40'])]);
  });
  afterAll(async () => {
    killServerProcesses();
    await Promise.all([openai?.close(), telegram?.close()]);
    await db?.destroy();
  });
  beforeEach(() => {
    openai.reset();
    telegram.reset();
  });

  function env(extra: Record<string, string>): Record<string, string | undefined> {
    return {
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_MODEL: 'fake-gpt',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_CHAT_ID: CHAT_ID,
      TELEGRAM_API_URL: telegram.url,
      REPORT_TZ: 'UTC',
      // Nothing else shared between the processes than the database.
      REDIS_URL: undefined,
      SERVICE_TOKEN: undefined,
      ...extra,
    };
  }

  async function summaries(): Promise<SummaryRow[]> {
    return db.sql.query<SummaryRow>(
      `SELECT week, status, delivery_status, summary, attempts, telegram_message_ids,
              (extract(epoch FROM finished_at) * 1000)::float8 AS finished_ms
       FROM weekly_summaries ORDER BY week`,
    );
  }
  const summaryOf = async (week: string) => (await summaries()).find((s) => s.week === week);

  /** The times at which a process's cron triggered `week`. */
  const triggers = (instance: ServerProcess, week: string) =>
    instance
      .logs()
      .filter((l) => l.msg === TRIGGERED && l.week === week)
      .map((l) => l.time as number);

  it('two instances firing the same cron make one summary, one OpenAI call and one Telegram message', { timeout: 55_000 }, async () => {
    const week = lastCompleteWeek('UTC');
    // Hold the week's lease until both instances are up and firing, then free it: from the next tick on
    // both race for the same week at the same moment (the cron ticks on the shared wall clock).
    await db.sql.query(
      `INSERT INTO job_locks (name, key, owner, fencing_token, acquired_at, expires_at)
       VALUES ($1, $2, 'test-holds-the-week', 1, now(), now() + interval '1 hour')`,
      [SUMMARY_LOCK, week],
    );
    // OpenAI answers slowly, so the run is still in flight when the losing instance's trigger arrives.
    const OPENAI_DELAY_MS = 3_000;
    openai.script([{ ...completion('One summary from two instances.'), delayMs: OPENAI_DELAY_MS }]);
    const started = Date.now();
    const [a, b] = await Promise.all([
      startServerProcess(env({ REPORT_CRON: '*/2 * * * * *' }), { timeoutMs: 30_000 }),
      startServerProcess(env({ REPORT_CRON: '*/2 * * * * *' }), { timeoutMs: 30_000 }),
    ]);
    const ready = Date.now();
    await waitFor('both instances to fire', () => [a, b].every((p) => triggers(p, week).length > 0) || undefined, 10_000);
    // Both triggered while the lease was held elsewhere: the summary exists, nobody ran it.
    expect(await summaryOf(week)).toMatchObject({ status: 'QUEUED', attempts: 0 });
    expect(openai.calls).toHaveLength(0);

    const releasedAt = Date.now();
    await db.sql.query('UPDATE job_locks SET expires_at = now() WHERE name = $1 AND key = $2', [SUMMARY_LOCK, week]);
    const done = await waitFor(
      'the summary to succeed',
      async () => {
        const row = await summaryOf(week);
        return row?.status === 'SUCCEEDED' ? row : undefined;
      },
      20_000,
    );
    // Both keep firing after it finished (two ticks each): the finished week is left as it is.
    await waitFor(
      'two more cron ticks on both instances',
      () => [a, b].every((p) => triggers(p, week).filter((t) => t > done.finished_ms! + 50).length >= 2) || undefined,
      10_000,
    );

    const rows = await summaries();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      week,
      status: 'SUCCEEDED',
      delivery_status: 'DELIVERED',
      attempts: 1,
      summary: 'One summary from two instances.',
    });
    expect(openai.calls).toHaveLength(1);
    expect(telegram.calls).toHaveLength(1);
    expect(telegram.calls[0]!.body).toMatchObject({ chat_id: CHAT_ID, text: 'One summary from two instances.' });
    expect(rows[0]!.telegram_message_ids).toEqual([1001]);
    // Both really raced: each triggered the week after the release and before the single run could end.
    const runEnd = openai.calls[0]!.at + OPENAI_DELAY_MS;
    for (const p of [a, b]) {
      expect(
        triggers(p, week).some((t) => t > releasedAt && t <= runEnd),
        p.output(),
      ).toBe(true);
    }
    // No run failed or crashed on either instance.
    for (const p of [a, b])
      expect(
        p.logs().filter((l) => l.level >= 50),
        p.output(),
      ).toEqual([]);

    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
    console.info(`two instances: ready in ${ready - started} ms, whole test ${Date.now() - started} ms`);
  });

  it('finishes a run killed between text and delivery on the next start: no new OpenAI call, one more message', {
    timeout: 55_000,
  }, async () => {
    const week = '2026-W40';
    const started = Date.now();
    const crashEnv = env({ REPORT_CRON: 'off', SUMMARY_LEASE_TTL_MS: '2000', SERVICE_TOKEN: TEST_SERVICE_TOKEN });
    // Telegram takes the first message and does not answer (until long after the process is gone).
    telegram.script([{ status: 200, body: { ok: true, result: { message_id: 1 } }, delayMs: 20_000 }]);
    const first = await startServerProcess(crashEnv, { timeoutMs: 30_000 });

    const triggered = await postGraphQL(first.url, GENERATE, { week }, TEST_SERVICE_TOKEN);
    expect(triggered.body.errors, JSON.stringify(triggered.body)).toBeUndefined();
    expect(triggered.body.data?.generateWeeklyReport.summary.week).toBe(week);

    await waitFor('the first Telegram call', () => telegram.calls.length === 1, 20_000);
    const beforeCrash = await summaryOf(week);
    expect(beforeCrash).toMatchObject({ status: 'RUNNING', delivery_status: 'PENDING', attempts: 1, telegram_message_ids: null });
    expect(beforeCrash!.summary).toBe('A calm week: reports steady, stress down slightly.');
    expect(telegram.calls[0]!.body.text).toBe(beforeCrash!.summary);
    expect(openai.calls).toHaveLength(1);

    await first.kill(); // SIGKILL: no shutdown hook runs, the lease stays as it was
    const killedAt = Date.now();

    // The crashed holder's lease lives on for up to SUMMARY_LEASE_TTL_MS. Start the next process only after
    // it expired: recover() tries each unfinished week once at start, and a week whose lease is still held
    // counts as busy and is not tried again (known bug, pinned in leases.test.ts).
    const lockExpired = async () => {
      const [lock] = await db.sql.query<{ expired: boolean; owner: string }>(
        'SELECT expires_at <= now() AS expired, owner FROM job_locks WHERE name = $1 AND key = $2',
        [SUMMARY_LOCK, week],
      );
      return lock?.expired;
    };
    await waitFor('the crashed holder’s lease to expire', lockExpired, 5_000);

    const second = await startServerProcess(crashEnv, { timeoutMs: 30_000 });
    const done = await waitFor(
      'the recovered summary to be delivered',
      async () => {
        const row = await summaryOf(week);
        return row?.status === 'SUCCEEDED' ? row : undefined;
      },
      20_000,
    );

    expect(second.logs().find((l) => l.msg === 'resuming unfinished weekly summaries')?.weeks).toEqual([week]);
    expect(done).toMatchObject({ status: 'SUCCEEDED', delivery_status: 'DELIVERED', attempts: 2, summary: beforeCrash!.summary });
    // The text was a finished step: OpenAI was asked once in all.
    expect(openai.calls).toHaveLength(1);
    // Delivery is at least once: Telegram accepted (or may have accepted) the first message but its
    // answer never reached the killed process, so nothing recorded it and the next run sends it again.
    // Exactly one duplicate in that crash window, by design (the Bot API has no idempotency key).
    expect(telegram.calls).toHaveLength(2);
    expect(telegram.calls[1]!.body).toEqual(telegram.calls[0]!.body);
    expect(done.telegram_message_ids).toEqual([1002]);
    const [lock] = await db.sql.query<{ fencing_token: string; owner: string }>(
      'SELECT fencing_token::text, owner FROM job_locks WHERE name = $1 AND key = $2',
      [SUMMARY_LOCK, week],
    );
    expect(lock!.fencing_token).toBe('2');
    expect(lock!.owner).toMatch(new RegExp(`:${second.child.pid}:`));

    expect(await second.stop()).toBe(0);
    console.info(`crash and recovery: killed after ${killedAt - started} ms, whole test ${Date.now() - started} ms`);
  });
});

/** A few people with reports in the given weeks (the figures only need to exist). */
async function seedWeeks(db: TestDatabase, weeks: string[]) {
  for (let i = 0; i < 4; i++) {
    const user = await db.prisma.user.create({
      data: { email: `p${i}@example.com`, name: `Person ${i}`, role: i === 0 ? 'ADMIN' : 'EMPLOYEE', city: 'Berlin', country: 'DE' },
      select: { id: true },
    });
    for (const [w, week] of weeks.entries()) {
      await db.prisma.weeklyReport.create({
        data: { userId: user.id, week, workdays: 3 + ((i + w) % 3), stressLevel: 2 + ((i * 3 + w) % 8), highlights: `Item ${i}-${w}` },
      });
    }
  }
}
