// A user adds a working day to their schedule, or a manager to a direct report's (one per user and date).
import type { UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { isUniqueViolation } from '../infra/database/unique-violation.js';
import { scheduleConflict, scheduleOwner, validScheduleFields, type ScheduleFields, type ScheduleRef } from './work-schedule-rules.js';

export interface CreateWorkScheduleOptions {
  prisma: PrismaClient;
  viewer: UserViewer;
  /** `userId`: whose schedule (default: the viewer's). */
  input: ScheduleFields & { userId?: number };
}

export async function createWorkSchedule({ prisma, viewer, input }: CreateWorkScheduleOptions): Promise<ScheduleRef> {
  const user = await scheduleOwner(prisma, viewer, input.userId ?? viewer.id);
  const fields = validScheduleFields(input);
  try {
    return await prisma.workSchedule.create({ data: { userId: user.id, ...fields }, select: { id: true, userId: true } });
  } catch (error) {
    if (isUniqueViolation(error)) throw scheduleConflict();
    throw error;
  }
}
