// Requests the weekly summary of a week (the `generateWeeklyReport` mutation: ADMIN, or the scheduler's
// service identity). Exactly one summary per week: concurrent requests meet on the unique week; a finished
// week is returned as it is (no second OpenAI call or message); `force` (ADMIN) starts a new version. The
// work itself runs in the background.
import { isUser, type Viewer } from '../domain/viewer.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { AppError } from '../domain/errors.js';
import type { SummaryWorker } from './weekly-summary-worker.js';

export interface RequestWeeklySummaryOptions {
  prisma: PrismaClient;
  worker: SummaryWorker;
  viewer: Viewer;
  week: string;
  force: boolean;
}

/** Returns the id of the week's summary in its current state. */
export async function requestWeeklySummary({ prisma, worker, viewer, week, force }: RequestWeeklySummaryOptions): Promise<number> {
  if (force && !(isUser(viewer) && viewer.role === 'ADMIN')) {
    throw new AppError('FORBIDDEN', 'Only an ADMIN may force a new version.');
  }
  const created = await prisma.$executeRaw`
    INSERT INTO weekly_summaries (week, status, updated_at) VALUES (${week}, 'QUEUED', now())
    ON CONFLICT (week) DO NOTHING`;
  if (force && created === 0) {
    // A new version of a week that is not running right now; all steps start over.
    await prisma.weeklySummary.updateMany({
      where: { week, status: { not: 'RUNNING' } },
      data: {
        status: 'QUEUED',
        version: { increment: 1 },
        stats: Prisma.DbNull,
        summary: null,
        summarySource: null,
        model: null,
        deliveryStatus: 'PENDING',
        telegramMessageIds: Prisma.DbNull,
        attempts: 0,
        lastError: null,
        startedAt: null,
        finishedAt: null,
        deliveredAt: null,
      },
    });
  }
  // A failed week is tried again from its first unfinished step.
  await prisma.weeklySummary.updateMany({ where: { week, status: 'FAILED' }, data: { status: 'QUEUED' } });
  const summary = await prisma.weeklySummary.findUniqueOrThrow({ where: { week }, select: { id: true, status: true } });
  if (summary.status !== 'SUCCEEDED') void worker.enqueue(week);
  return summary.id;
}
