// The in-process scheduler: every instance runs the same cron (REPORT_CRON in REPORT_TZ) and triggers the
// last complete week as the service identity; the week's unique summary and its lease make one of them
// do the work.
import { Cron } from 'croner';
import { lastCompleteWeek } from '../domain/iso-week.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../infra/logger.js';
import { requestWeeklySummary } from './request-weekly-summary.js';
import type { SummaryWorker } from './weekly-summary-worker.js';

export interface StartSummaryScheduleOptions {
  cron: string;
  timeZone: string;
  prisma: PrismaClient;
  worker: SummaryWorker;
  logger: Logger;
}

export function startSummarySchedule(options: StartSummaryScheduleOptions): { stop(): void } {
  const job = new Cron(options.cron, { timezone: options.timeZone, protect: true }, async () => {
    const week = lastCompleteWeek(options.timeZone);
    try {
      await requestWeeklySummary({ prisma: options.prisma, worker: options.worker, viewer: { kind: 'service' }, week, force: false });
      options.logger.info({ week }, 'scheduled weekly summary triggered');
    } catch (error) {
      options.logger.error({ week, err: error }, 'scheduled weekly summary trigger failed');
    }
  });
  return { stop: () => job.stop() };
}
