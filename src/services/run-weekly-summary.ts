// Produces one week's summary in checkpointed steps: stats, then text, then delivery. It runs under the
// week's lease; a step that is already recorded is never repeated (a crashed run resumes at the first
// unfinished one), and every result is written in a transaction that re-checks the lease's fencing token.
// No transaction is ever held open across an OpenAI or Telegram call.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { acquireLease, LeaseLostError, releaseLease, renewLease, withFencedWrite, type Lease } from '../infra/job-lock.js';
import type { Logger } from '../infra/logger.js';
import type { Messenger, SummaryWriter } from './summary-ports.js';
import { computeWeekStats, type WeekStats } from './compute-week-stats.js';

export const SUMMARY_LOCK = 'weekly-summary';

export interface SummaryRunDeps {
  prisma: PrismaClient;
  writer: SummaryWriter;
  /** null: Telegram not configured, delivery is SKIPPED. */
  messenger: Messenger | null;
  logger: Logger;
  /** Identifies this process in the lock table. */
  owner: string;
  leaseTtlMs: number;
  /** Told how every run ended (the composition root counts them in metrics). */
  onRunFinished?: (outcome: RunOutcome) => void;
}

export type RunOutcome = 'done' | 'failed' | 'busy' | 'lost-lease' | 'nothing-to-do';

export interface RunWeeklySummaryOptions extends SummaryRunDeps {
  week: string;
}

/** Short, safe error text for `lastError` (no stack, bounded length). */
function describe(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, 500);
}

export async function runWeeklySummary({ week, ...deps }: RunWeeklySummaryOptions): Promise<RunOutcome> {
  const { prisma, logger } = deps;
  const lease = await acquireLease(prisma, SUMMARY_LOCK, week, deps.owner, deps.leaseTtlMs);
  if (!lease) return 'busy';
  // A long run keeps its lease; if renewal fails the fenced writes below refuse and the run stops.
  // Three renewals per TTL (no fixed floor: at a 1 s TTL a 1 s interval let every lease lapse).
  const renewal = setInterval(
    () => {
      renewLease(prisma, lease, deps.leaseTtlMs).catch((error: unknown) => logger.warn({ err: error }, 'lease renewal failed'));
    },
    Math.max(100, Math.floor(deps.leaseTtlMs / 3)),
  );
  renewal.unref();
  try {
    return await runSteps(deps, lease, week);
  } catch (error) {
    if (error instanceof LeaseLostError) {
      logger.warn({ week }, 'weekly summary: lease lost, another run took over');
      return 'lost-lease';
    }
    logger.error({ week, err: error }, 'weekly summary failed');
    await withFencedWrite(prisma, lease, (tx) =>
      tx.weeklySummary.update({ where: { week }, data: { status: 'FAILED', lastError: describe(error), finishedAt: new Date() } }),
    ).catch(() => {});
    return 'failed';
  } finally {
    clearInterval(renewal);
    await releaseLease(prisma, lease).catch(() => {});
  }
}

async function runSteps(deps: SummaryRunDeps, lease: Lease, week: string): Promise<RunOutcome> {
  const { prisma } = deps;
  const fenced = <T>(write: (tx: Prisma.TransactionClient) => Promise<T>) => withFencedWrite(prisma, lease, write);
  const summary = await prisma.weeklySummary.findUnique({ where: { week } });
  if (!summary || summary.status === 'SUCCEEDED') return 'nothing-to-do';

  await fenced((tx) =>
    tx.weeklySummary.update({
      where: { week },
      data: { status: 'RUNNING', attempts: { increment: 1 }, startedAt: new Date(), lastError: null },
    }),
  );

  // Step 1: the figures.
  let stats = summary.stats as WeekStats | null;
  if (!stats) {
    stats = await computeWeekStats({ prisma, week });
    await fenced((tx) => tx.weeklySummary.update({ where: { week }, data: { stats: stats as unknown as Prisma.InputJsonValue } }));
  }

  // Step 2: the text (outside any transaction).
  let text = summary.summary;
  if (!text) {
    const written = await deps.writer.write(stats);
    text = written.text;
    await fenced((tx) =>
      tx.weeklySummary.update({ where: { week }, data: { summary: written.text, summarySource: written.source, model: written.model } }),
    );
  }

  // Step 3: delivery, an outbox: at least once. A crash after Telegram accepted a message and before the
  // ids are recorded sends it once more on the next run (Telegram has no idempotency key).
  if (summary.deliveryStatus === 'PENDING' || summary.deliveryStatus === 'FAILED') {
    if (!deps.messenger) {
      await fenced((tx) => tx.weeklySummary.update({ where: { week }, data: { deliveryStatus: 'SKIPPED' } }));
    } else {
      let ids: number[];
      try {
        ids = await deps.messenger.send(text);
      } catch (error) {
        await fenced((tx) => tx.weeklySummary.update({ where: { week }, data: { deliveryStatus: 'FAILED' } }));
        throw error;
      }
      await fenced((tx) =>
        tx.weeklySummary.update({
          where: { week },
          data: { deliveryStatus: 'DELIVERED', telegramMessageIds: ids, deliveredAt: new Date() },
        }),
      );
    }
  }

  await fenced((tx) => tx.weeklySummary.update({ where: { week }, data: { status: 'SUCCEEDED', finishedAt: new Date() } }));
  return 'done';
}
