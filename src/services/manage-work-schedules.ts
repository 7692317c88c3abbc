// Users keep their work schedules (one per day); managers keep their direct reports' too.
// Create, update and delete share the access rule and the validation, so they live together.
import { z } from 'zod';
import { writesSchedulesOf, type UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { invalidInput, isUniqueViolation, ServiceError } from './service-error.js';

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

interface Deps {
  prisma: PrismaClient;
  viewer: UserViewer;
}

async function targetUser(prisma: PrismaClient, viewer: UserViewer, userId: number) {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, managerId: true } });
  // Not found and not allowed look the same, so ids cannot be probed.
  if (!user || !writesSchedulesOf(viewer, user)) {
    throw new ServiceError('FORBIDDEN', 'You may not manage this user’s schedules.');
  }
  return user;
}

function validate(fields: ScheduleFields): ScheduleFields {
  const parsed = times.safeParse(fields);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  return parsed.data;
}

function conflict(): ServiceError {
  return new ServiceError('CONFLICT', 'input.date: this user already has a schedule on that date', 'input.date');
}

/** What a schedule write touched: the schedule and whose it is. */
export interface ScheduleRef {
  id: number;
  userId: number;
}

export async function createWorkSchedule({ prisma, viewer }: Deps, input: ScheduleFields & { userId?: number }): Promise<ScheduleRef> {
  const user = await targetUser(prisma, viewer, input.userId ?? viewer.id);
  const fields = validate(input);
  try {
    return await prisma.workSchedule.create({ data: { userId: user.id, ...fields }, select: { id: true, userId: true } });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}

async function scheduleFor(prisma: PrismaClient, viewer: UserViewer, id: number) {
  const schedule = await prisma.workSchedule.findUnique({
    where: { id },
    select: { id: true, date: true, startsAt: true, endsAt: true, remote: true, user: { select: { id: true, managerId: true } } },
  });
  if (!schedule || !writesSchedulesOf(viewer, schedule.user)) {
    throw new ServiceError('NOT_FOUND', 'No such work schedule.');
  }
  return schedule;
}

export async function updateWorkSchedule({ prisma, viewer }: Deps, id: number, patch: Partial<ScheduleFields>): Promise<ScheduleRef> {
  const current = await scheduleFor(prisma, viewer, id);
  const next = validate({
    date: patch.date ?? current.date,
    startsAt: patch.startsAt ?? current.startsAt,
    endsAt: patch.endsAt ?? current.endsAt,
    remote: patch.remote ?? current.remote,
  });
  try {
    await prisma.workSchedule.update({ where: { id }, data: next, select: { id: true } });
    return { id, userId: current.user.id };
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}

export async function deleteWorkSchedule({ prisma, viewer }: Deps, id: number): Promise<ScheduleRef> {
  const schedule = await scheduleFor(prisma, viewer, id);
  await prisma.workSchedule.delete({ where: { id } });
  return { id, userId: schedule.user.id };
}
