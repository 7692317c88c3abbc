// Runs weekly summaries in the background of the API process (never inside a request): one run per week
// at a time in this process, the database lease across processes. On start it picks up summaries left
// QUEUED or RUNNING (their lease expired with a crashed holder).
import { runWeeklySummary, SUMMARY_LOCK, type RunOutcome, type SummaryRunDeps } from './run-weekly-summary.js';

export interface SummaryWorker {
  /** Starts (or joins) the run of a week; resolves when it ends. Callers need not wait. */
  enqueue(week: string): Promise<RunOutcome>;
  /** Enqueues every unfinished summary (on start). */
  recover(): Promise<string[]>;
  /** Resolves when no run is in progress (shutdown, tests). */
  idle(): Promise<void>;
  /** Stops waiting for leases held elsewhere (shutdown). */
  stop(): void;
}

export function createSummaryWorker(deps: SummaryRunDeps): SummaryWorker {
  const running = new Map<string, Promise<RunOutcome>>();
  const waiting = new Set<NodeJS.Timeout>();
  let stopped = false;

  /**
   * Runs an unfinished week; while another holder's lease is alive (a run elsewhere, or a crashed holder
   * whose lease has not expired yet), tries again when that lease ends, until the week is finished.
   */
  const runWhenFree = async (week: string): Promise<void> => {
    const outcome = await worker.enqueue(week);
    if (stopped || (outcome !== 'busy' && outcome !== 'lost-lease')) return;
    const [lease] = await deps.prisma.$queryRaw<{ wait_ms: number }[]>`
      SELECT greatest(0, extract(epoch FROM expires_at - now()) * 1000)::int AS wait_ms
      FROM job_locks WHERE name = ${SUMMARY_LOCK} AND key = ${week}`;
    const timer = setTimeout(
      () => {
        waiting.delete(timer);
        void runWhenFree(week).catch((error: unknown) => deps.logger.error({ week, err: error }, 'weekly summary retry failed'));
      },
      (lease?.wait_ms ?? 0) + 100,
    );
    timer.unref();
    waiting.add(timer);
  };

  const worker: SummaryWorker = {
    enqueue(week) {
      const current = running.get(week);
      if (current !== undefined) return current;
      const run = runWeeklySummary({ ...deps, week })
        .catch((error: unknown) => {
          deps.logger.error({ week, err: error }, 'weekly summary run crashed');
          return 'failed' as const;
        })
        .then((outcome) => {
          deps.onRunFinished?.(outcome);
          return outcome;
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
      for (const { week } of unfinished) {
        void runWhenFree(week).catch((error: unknown) => deps.logger.error({ week, err: error }, 'weekly summary recovery failed'));
      }
      return unfinished.map((s) => s.week);
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running.values()]);
    },
    stop() {
      stopped = true;
      for (const timer of waiting) clearTimeout(timer);
      waiting.clear();
    },
  };
  return worker;
}
