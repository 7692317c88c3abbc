// What every work schedule write obeys (create-, update- and delete-work-schedule.ts): users keep their own
// schedules (one per day), managers their direct reports' too; a shift is valid times on its date.
import { z } from 'zod';
import { writesSchedulesOf, type UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { AppError, invalidInput } from '../domain/errors.js';

const HOUR_MS = 3_600_000;
const MAX_SHIFT_HOURS = 24;

const times = z
  .object({ date: z.date(), startsAt: z.date(), endsAt: z.date(), remote: z.boolean() })
  .refine((s) => s.endsAt > s.startsAt, { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((s) => s.endsAt.getTime() - s.startsAt.getTime() <= MAX_SHIFT_HOURS * HOUR_MS, {
    message: `a shift lasts at most ${MAX_SHIFT_HOURS} hours`,
    path: ['endsAt'],
  })
  // Time zones may put a shift's start on the neighbouring UTC day, never further.
  .refine((s) => Math.abs(s.startsAt.getTime() - s.date.getTime()) <= 36 * HOUR_MS, {
    message: 'must be on the schedule date (within its time zone)',
    path: ['startsAt'],
  });

export interface ScheduleFields {
  date: Date;
  startsAt: Date;
  endsAt: Date;
  remote: boolean;
}

/** The user whose schedules the viewer may write, or FORBIDDEN. */
export async function scheduleOwner(prisma: PrismaClient, viewer: UserViewer, userId: number) {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, managerId: true } });
  // Not found and not allowed look the same, so ids cannot be probed.
  if (!user || !writesSchedulesOf(viewer, user)) {
    throw new AppError('FORBIDDEN', 'You may not manage this user’s schedules.');
  }
  return user;
}

/** The fields if they make a valid shift, or BAD_USER_INPUT naming the first field at fault. */
export function validScheduleFields(fields: ScheduleFields): ScheduleFields {
  const parsed = times.safeParse(fields);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  return parsed.data;
}

/** A second schedule on a user's date (the unique index refused it). */
export function scheduleConflict(): AppError {
  return new AppError('CONFLICT', 'input.date: this user already has a schedule on that date', { field: 'input.date' });
}

/** What a schedule write touched: the schedule and whose it is. */
export interface ScheduleRef {
  id: number;
  userId: number;
}

/** A schedule the viewer may write, with its owner, or NOT_FOUND. */
export async function writableSchedule(prisma: PrismaClient, viewer: UserViewer, id: number) {
  const schedule = await prisma.workSchedule.findUnique({
    where: { id },
    select: { id: true, date: true, startsAt: true, endsAt: true, remote: true, user: { select: { id: true, managerId: true } } },
  });
  if (!schedule || !writesSchedulesOf(viewer, schedule.user)) {
    throw new AppError('NOT_FOUND', 'No such work schedule.');
  }
  return schedule;
}
