// A user submits (or resubmits) their report for a week: one report per user and week, with optional
// HR and operations figures and the week's pre-aggregated figures, written in one transaction.
import { z } from 'zod';
import { isIsoWeek, isoWeekOf } from '../domain/iso-week.js';
import type { UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { AppError, invalidInput } from '../domain/errors.js';
import { applyReportChange, lockedReportFigures, lockReportSlot, type ReportFigures } from './weekly-aggregates.js';

const MAX_TEXT = 4000;
const count = z.number().int('must be a whole number').min(0, 'must not be negative').max(1_000_000, 'must be at most 1000000');

const inputSchema = z.object({
  week: z.string().refine(isIsoWeek, "must be an ISO week 'YYYY-Www'"),
  workdays: z.number().int('must be a whole number').min(0, 'must be 0..7').max(7, 'must be 0..7'),
  stressLevel: z.number().int('must be a whole number').min(1, 'must be 1..10').max(10, 'must be 1..10'),
  highlights: z.string().trim().min(1, 'must not be empty').max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`),
  blockers: z.string().trim().max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`).nullish(),
  hrMetrics: z.object({ interviews: count, offers: count, hires: count, attritions: count }).nullish(),
  opsMetrics: z.object({ ordersProcessed: count, tasksCompleted: count, incidents: count, slaBreaches: count }).nullish(),
});

export type SubmitWeeklyReportInput = z.input<typeof inputSchema>;

export interface SubmitWeeklyReportOptions {
  prisma: PrismaClient;
  viewer: UserViewer;
  input: SubmitWeeklyReportInput;
  now?: Date;
}

/**
 * Creates or updates the viewer's report for `input.week` and returns its id. `hrMetrics`/`opsMetrics`:
 * omitted keeps what was stored, null removes it, an object replaces it.
 */
export async function submitWeeklyReport({ prisma, viewer, input, now = new Date() }: SubmitWeeklyReportOptions): Promise<number> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const data = parsed.data;
  if (data.week > isoWeekOf(now)) {
    throw new AppError('BAD_USER_INPUT', 'input.week: must not be in the future', { field: 'input.week' });
  }
  const fields = {
    workdays: data.workdays,
    stressLevel: data.stressLevel,
    highlights: data.highlights,
    blockers: data.blockers ? data.blockers : null,
  };
  return prisma.$transaction(async (tx) => {
    // Concurrent submits of one week run one after the other (also the very first ones), so the
    // aggregate difference below is computed against what is really stored.
    await lockReportSlot(tx, viewer.id, data.week);
    const before = await lockedReportFigures(tx, viewer.id, data.week);
    const report = await tx.weeklyReport.upsert({
      where: { userId_week: { userId: viewer.id, week: data.week } },
      create: { userId: viewer.id, week: data.week, ...fields },
      update: { ...fields, updatedAt: now },
      select: { id: true },
    });
    if (data.hrMetrics === null) await tx.hrMetrics.deleteMany({ where: { reportId: report.id } });
    else if (data.hrMetrics) {
      await tx.hrMetrics.upsert({
        where: { reportId: report.id },
        create: { reportId: report.id, ...data.hrMetrics },
        update: data.hrMetrics,
      });
    }
    if (data.opsMetrics === null) await tx.opsMetrics.deleteMany({ where: { reportId: report.id } });
    else if (data.opsMetrics) {
      await tx.opsMetrics.upsert({
        where: { reportId: report.id },
        create: { reportId: report.id, ...data.opsMetrics },
        update: data.opsMetrics,
      });
    }
    const after: ReportFigures = {
      stressLevel: data.stressLevel,
      workdays: data.workdays,
      hr: data.hrMetrics === undefined ? (before?.hr ?? null) : data.hrMetrics,
      ops: data.opsMetrics === undefined ? (before?.ops ?? null) : data.opsMetrics,
    };
    await applyReportChange(tx, viewer.id, data.week, before, after);
    return report.id;
  });
}
