// Leases with fencing tokens (job_locks) on the real database: exclusive while held, taken over only after
// expiry with a bigger token, renewed and released only by the holder; and fencing: a holder that lost its
// lease writes nothing, in withFencedWrite and in a whole weekly summary run.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLease, LeaseLostError, releaseLease, renewLease, withFencedWrite, type Lease } from '../../src/infra/job-lock.js';
import { runWeeklySummary, SUMMARY_LOCK } from '../../src/services/run-weekly-summary.js';
import type { SummaryWriter } from '../../src/services/summary-ports.js';
import { createSummaryWorker } from '../../src/services/weekly-summary-worker.js';
import { createTestDatabase, type TestDatabase } from '../kit/database.js';

const JOB = 'lease-test';
const LONG = 30_000;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.destroy();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let keys = 0;
/** A key no other test uses. */
const freshKey = () => `key-${++keys}`;

async function lockRow(key: string, name = JOB) {
  const [row] = await db.sql.query<{ owner: string; fencing_token: string; expires_ms: number; held: boolean }>(
    `SELECT owner, fencing_token::text, (extract(epoch FROM expires_at) * 1000)::float8 AS expires_ms, expires_at > now() AS held
     FROM job_locks WHERE name = $1 AND key = $2`,
    [name, key],
  );
  return row;
}

async function summaryText(week: string) {
  const [row] = await db.sql.query<{ summary: string | null }>('SELECT summary FROM weekly_summaries WHERE week = $1', [week]);
  return row;
}

/** Makes a lease expire now, as the passing of its TTL would. */
async function expire(key: string, name = JOB) {
  await db.sql.query(`UPDATE job_locks SET expires_at = now() - interval '1 millisecond' WHERE name = $1 AND key = $2`, [name, key]);
}

describe('acquireLease', () => {
  it('is exclusive while held, even for the same owner', async () => {
    const key = freshKey();
    const lease = await acquireLease(db.prisma, JOB, key, 'a', LONG);
    expect(lease).toEqual({ name: JOB, key, owner: 'a', fencingToken: 1n });
    expect(await acquireLease(db.prisma, JOB, key, 'b', LONG)).toBeNull();
    expect(await acquireLease(db.prisma, JOB, key, 'a', LONG)).toBeNull();
    // Other keys and other job names are independent.
    expect(await acquireLease(db.prisma, JOB, freshKey(), 'b', LONG)).not.toBeNull();
    expect(await acquireLease(db.prisma, 'other-job', key, 'b', LONG)).not.toBeNull();
    expect(await lockRow(key)).toMatchObject({ owner: 'a', fencing_token: '1', held: true });
  });

  it('gives a free lease to exactly one of many concurrent owners', async () => {
    const key = freshKey();
    const leases = await Promise.all(Array.from({ length: 12 }, (_, i) => acquireLease(db.prisma, JOB, key, `owner-${i}`, LONG)));
    const winners = leases.filter((l): l is Lease => l !== null);
    expect(winners).toHaveLength(1);
    expect((await lockRow(key))!.owner).toBe(winners[0]!.owner);
  });

  it('lets another owner take over an expired lease, with a bigger fencing token', async () => {
    const key = freshKey();
    const first = await acquireLease(db.prisma, JOB, key, 'a', 300);
    expect(first!.fencingToken).toBe(1n);
    expect(await acquireLease(db.prisma, JOB, key, 'b', LONG)).toBeNull();
    await sleep(400); // the TTL really passes (database clock)
    const second = await acquireLease(db.prisma, JOB, key, 'b', LONG);
    expect(second).toMatchObject({ owner: 'b', fencingToken: 2n });
    expect(await acquireLease(db.prisma, JOB, key, 'a', LONG)).toBeNull();
    // Every takeover bumps the token, also after a release.
    await releaseLease(db.prisma, second!);
    const third = await acquireLease(db.prisma, JOB, key, 'c', LONG);
    expect(third!.fencingToken).toBe(3n);
  });
});

describe('renewLease', () => {
  it('extends the expiry for the current holder only', async () => {
    const key = freshKey();
    const lease = (await acquireLease(db.prisma, JOB, key, 'a', 1_000))!;
    const before = (await lockRow(key))!.expires_ms;
    expect(await renewLease(db.prisma, lease, LONG)).toBe(true);
    const after = (await lockRow(key))!.expires_ms;
    expect(after - before).toBeGreaterThan(LONG - 1_000 - 500);

    // Not the holder: another owner, or the holder's owner with a stale token.
    expect(await renewLease(db.prisma, { ...lease, owner: 'b' }, 10 * LONG)).toBe(false);
    expect(await renewLease(db.prisma, { ...lease, fencingToken: lease.fencingToken + 1n }, 10 * LONG)).toBe(false);
    expect((await lockRow(key))!.expires_ms).toBe(after);
  });

  it('does not revive an expired lease, nor renew one that was taken over', async () => {
    const key = freshKey();
    const lease = (await acquireLease(db.prisma, JOB, key, 'a', LONG))!;
    await expire(key);
    expect(await renewLease(db.prisma, lease, LONG)).toBe(false);
    expect((await lockRow(key))!.held).toBe(false);
    const taken = (await acquireLease(db.prisma, JOB, key, 'b', LONG))!;
    expect(await renewLease(db.prisma, lease, LONG)).toBe(false);
    expect(await renewLease(db.prisma, taken, LONG)).toBe(true);
    expect(await lockRow(key)).toMatchObject({ owner: 'b', fencing_token: '2', held: true });
  });
});

describe('releaseLease', () => {
  it('does nothing for a non-holder; frees the lease for the holder', async () => {
    const key = freshKey();
    const lease = (await acquireLease(db.prisma, JOB, key, 'a', LONG))!;
    const before = await lockRow(key);
    await releaseLease(db.prisma, { ...lease, owner: 'b' });
    await releaseLease(db.prisma, { ...lease, fencingToken: 99n });
    expect(await lockRow(key)).toEqual(before);
    expect(await acquireLease(db.prisma, JOB, key, 'b', LONG)).toBeNull();

    await releaseLease(db.prisma, lease);
    expect((await lockRow(key))!.held).toBe(false);
    expect(await acquireLease(db.prisma, JOB, key, 'b', LONG)).toMatchObject({ fencingToken: 2n });
  });

  it('by a holder that lost its lease leaves the new holder’s lease alone', async () => {
    const key = freshKey();
    const old = (await acquireLease(db.prisma, JOB, key, 'a', LONG))!;
    await expire(key);
    const current = (await acquireLease(db.prisma, JOB, key, 'b', LONG))!;
    await releaseLease(db.prisma, old);
    expect(await lockRow(key)).toMatchObject({ owner: 'b', held: true });
    expect(await renewLease(db.prisma, current, LONG)).toBe(true);
  });
});

describe('fencing', () => {
  const WEEK = '2026-W10';

  it('refuses the write of a holder whose lease expired and was taken over; the new holder writes', async () => {
    const key = freshKey();
    await db.sql.query(`INSERT INTO weekly_summaries (week, status, updated_at) VALUES ($1, 'RUNNING', now())`, [WEEK]);
    const old = (await acquireLease(db.prisma, JOB, key, 'old', 300))!;
    // Still held: the write goes through.
    await withFencedWrite(db.prisma, old, (tx) => tx.weeklySummary.update({ where: { week: WEEK }, data: { summary: 'old, in time' } }));
    expect((await summaryText(WEEK))!.summary).toBe('old, in time');

    await sleep(400);
    const current = (await acquireLease(db.prisma, JOB, key, 'new', LONG))!;
    expect(current.fencingToken).toBeGreaterThan(old.fencingToken);

    let ran = false;
    const refused = withFencedWrite(db.prisma, old, async (tx) => {
      ran = true;
      return tx.weeklySummary.update({ where: { week: WEEK }, data: { summary: 'old, too late' } });
    });
    await expect(refused).rejects.toBeInstanceOf(LeaseLostError);
    await expect(refused).rejects.toThrow(/no longer held/);
    expect(ran).toBe(false);
    expect((await summaryText(WEEK))!.summary).toBe('old, in time');

    await withFencedWrite(db.prisma, current, (tx) => tx.weeklySummary.update({ where: { week: WEEK }, data: { summary: 'new holder' } }));
    expect((await summaryText(WEEK))!.summary).toBe('new holder');
  });

  it('refuses the write of an expired lease even before anyone took it over', async () => {
    const key = freshKey();
    const lease = (await acquireLease(db.prisma, JOB, key, 'a', LONG))!;
    await expire(key);
    await expect(withFencedWrite(db.prisma, lease, async () => 'written')).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('rolls back what the write did when it throws (one transaction)', async () => {
    const key = freshKey();
    const week = '2026-W11';
    await db.sql.query(`INSERT INTO weekly_summaries (week, status, updated_at) VALUES ($1, 'RUNNING', now())`, [week]);
    const lease = (await acquireLease(db.prisma, JOB, key, 'a', LONG))!;
    const failing = withFencedWrite(db.prisma, lease, async (tx) => {
      await tx.weeklySummary.update({ where: { week }, data: { summary: 'half done' } });
      throw new Error('second write failed');
    });
    await expect(failing).rejects.toThrow('second write failed');
    expect((await summaryText(week))!.summary).toBeNull();
  });

  it('makes a takeover wait for a fenced write in flight, so the write lands before the new holder starts', async () => {
    const key = freshKey();
    const week = '2026-W12';
    await db.sql.query(`INSERT INTO weekly_summaries (week, status, updated_at) VALUES ($1, 'RUNNING', now())`, [week]);
    const old = (await acquireLease(db.prisma, JOB, key, 'old', 400))!;
    let committedAt = 0;
    const write = withFencedWrite(db.prisma, old, async (tx) => {
      // The lease was held when the write began; it expires while the transaction is open.
      await sleep(700);
      await tx.weeklySummary.update({ where: { week }, data: { summary: 'old, begun in time' } });
      committedAt = Date.now();
    });
    await sleep(500);
    const current = await acquireLease(db.prisma, JOB, key, 'new', LONG);
    const acquiredAt = Date.now();
    await write;
    expect(current).toMatchObject({ owner: 'new', fencingToken: 2n });
    expect(acquiredAt).toBeGreaterThanOrEqual(committedAt);
    expect((await summaryText(week))!.summary).toBe('old, begun in time');
  });
});

describe('a weekly summary run that loses its lease', () => {
  const logger = pino({ level: 'silent' });

  /** A writer whose write() waits until the test lets it finish. */
  function blockedWriter(text: string) {
    let started!: () => void;
    let release!: () => void;
    const startedP = new Promise<void>((resolve) => (started = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const writer: SummaryWriter = {
      async write() {
        started();
        await released;
        return { text, source: 'OFFLINE', model: null };
      },
    };
    return { writer, started: startedP, release };
  }

  it('returns lost-lease and writes neither its text nor a delivery; the new holder’s text stands', async () => {
    const week = '2026-W20';
    await db.sql.query(`INSERT INTO weekly_summaries (week, status, updated_at) VALUES ($1, 'QUEUED', now())`, [week]);
    const { writer, started, release } = blockedWriter('text of the run that lost its lease');
    const sent: string[] = [];
    const run = runWeeklySummary({
      prisma: db.prisma,
      logger,
      writer,
      messenger: {
        send: async (text) => {
          sent.push(text);
          return [1];
        },
      },
      owner: 'old-run',
      leaseTtlMs: 1_500,
      week,
    });
    await started;
    const [running] = await db.sql.query<{ status: string; attempts: number; stats: unknown }>(
      'SELECT status, attempts, stats FROM weekly_summaries WHERE week = $1',
      [week],
    );
    expect(running).toMatchObject({ status: 'RUNNING', attempts: 1 });
    expect(running!.stats).not.toBeNull();

    // The run's lease expires (as when its process stalls past the TTL) and another owner takes it over;
    // from then on the old run's renewals fail.
    await expire(week, SUMMARY_LOCK);
    const current = (await acquireLease(db.prisma, SUMMARY_LOCK, week, 'new-run', LONG))!;
    expect(current.fencingToken).toBe(2n);
    await sleep(1_100); // at least one renewal attempt of the old run
    expect(await lockRow(week, SUMMARY_LOCK)).toMatchObject({ owner: 'new-run', fencing_token: '2', held: true });

    release();
    expect(await run).toBe('lost-lease');
    const [after] = await db.sql.query<{ summary: string | null; status: string; delivery_status: string }>(
      'SELECT summary, status, delivery_status FROM weekly_summaries WHERE week = $1',
      [week],
    );
    expect(after).toEqual({ summary: null, status: 'RUNNING', delivery_status: 'PENDING' });
    expect(sent).toEqual([]);
    // Its final release did not free the new holder's lease.
    expect(await lockRow(week, SUMMARY_LOCK)).toMatchObject({ owner: 'new-run', held: true });

    await withFencedWrite(db.prisma, current, (tx) => tx.weeklySummary.update({ where: { week }, data: { summary: 'new holder text' } }));
    expect((await summaryText(week))!.summary).toBe('new holder text');
  });

  it('keeps its lease through a run longer than the TTL, at the shortest TTL the configuration allows', async () => {
    const week = '2026-W23';
    await db.sql.query(`INSERT INTO weekly_summaries (week, status, updated_at) VALUES ($1, 'QUEUED', now())`, [week]);
    const slow: SummaryWriter = {
      async write() {
        await sleep(2_600);
        return { text: 'slow but held', source: 'OFFLINE', model: null };
      },
    };
    // SUMMARY_LEASE_TTL_MS has a minimum of 1000 (src/config.ts).
    const outcome = await runWeeklySummary({
      prisma: db.prisma,
      logger,
      writer: slow,
      messenger: null,
      owner: 'slow-run',
      leaseTtlMs: 1_000,
      week,
    });
    expect(outcome).toBe('done');
    expect((await summaryText(week))!.summary).toBe('slow but held');
  });

  it('is resumed by the next run once the lease is free: the recorded text is kept and delivered', async () => {
    const week = '2026-W21';
    await db.sql.query(`INSERT INTO weekly_summaries (week, status, updated_at) VALUES ($1, 'QUEUED', now())`, [week]);
    const first = blockedWriter('first text');
    const sent: string[] = [];
    const send = async (text: string) => {
      sent.push(text);
      return [7];
    };
    const deps = { prisma: db.prisma, logger, messenger: { send }, leaseTtlMs: 1_500 };
    const run = runWeeklySummary({ ...deps, writer: first.writer, owner: 'old-run', week });
    await first.started;
    await expire(week, SUMMARY_LOCK);
    const second = blockedWriter('second text');
    const takeover = runWeeklySummary({ ...deps, writer: second.writer, owner: 'new-run', week });
    await second.started;
    first.release();
    expect(await run).toBe('lost-lease');
    second.release();
    expect(await takeover).toBe('done');
    const [row] = await db.sql.query<{ summary: string; status: string; delivery_status: string; attempts: number }>(
      'SELECT summary, status, delivery_status, attempts FROM weekly_summaries WHERE week = $1',
      [week],
    );
    expect(row).toEqual({ summary: 'second text', status: 'SUCCEEDED', delivery_status: 'DELIVERED', attempts: 2 });
    expect(sent).toEqual(['second text']);
  });
});

describe('recovery after a crashed holder', () => {
  // A process restarted within SUMMARY_LEASE_TTL_MS finds the crashed holder's lease still alive:
  // recover() must try again when that lease ends, not give up on 'busy'.
  it('recover() finishes a week whose dead holder’s lease expires only after the restart', async () => {
    const week = '2026-W22';
    await db.sql.query(`INSERT INTO weekly_summaries (week, status, attempts, updated_at) VALUES ($1, 'RUNNING', 1, now())`, [week]);
    await db.sql.query(
      `INSERT INTO job_locks (name, key, owner, fencing_token, acquired_at, expires_at)
       VALUES ($1, $2, 'crashed-instance', 3, now(), now() + interval '800 milliseconds')`,
      [SUMMARY_LOCK, week],
    );
    const worker = createSummaryWorker({
      prisma: db.prisma,
      logger: pino({ level: 'silent' }),
      writer: { write: async () => ({ text: 'recovered', source: 'OFFLINE', model: null }) },
      messenger: null,
      owner: 'restarted-instance',
      leaseTtlMs: 5_000,
    });
    expect(await worker.recover()).toContain(week);
    await sleep(2_000);
    await worker.idle();
    worker.stop();
    expect((await summaryText(week))!.summary).toBe('recovered');
  });
});
