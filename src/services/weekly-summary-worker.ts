// Runs weekly summaries in the background of the API process (never inside a request): one run per week
// at a time in this process, the database lease across processes. On start it picks up summaries left
// QUEUED or RUNNING (their lease expired with a crashed holder).
import { runWeeklySummary, type RunOutcome, type SummaryRunDeps } from './run-weekly-summary.js';

export interface SummaryWorker {
  /** Starts (or joins) the run of a week; resolves when it ends. Callers need not wait. */
  enqueue(week: string): Promise<RunOutcome>;
  /** Enqueues every unfinished summary (on start). */
  recover(): Promise<string[]>;
  /** Resolves when no run is in progress (shutdown, tests). */
  idle(): Promise<void>;
}

export function createSummaryWorker(deps: SummaryRunDeps): SummaryWorker {
  const running = new Map<string, Promise<RunOutcome>>();
  const worker: SummaryWorker = {
    enqueue(week) {
      const current = running.get(week);
      if (current) return current;
      const run = runWeeklySummary(deps, week)
        .catch((error: unknown) => {
          deps.logger.error({ week, err: error }, 'weekly summary run crashed');
          return 'failed' as const;
        })
        .finally(() => running.delete(week));
      running.set(week, run);
      return run;
    },
    async recover() {
      const unfinished = await deps.prisma.weeklySummary.findMany({
        where: { status: { in: ['QUEUED', 'RUNNING'] } },
        select: { week: true },
        orderBy: { week: 'asc' },
      });
      for (const { week } of unfinished) void worker.enqueue(week);
      return unfinished.map((s) => s.week);
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running.values()]);
    },
  };
  return worker;
}
