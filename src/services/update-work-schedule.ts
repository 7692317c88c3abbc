// Changes a work schedule the viewer may write (their own, or a direct report's for a manager); omitted fields stay.
import type { UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { isUniqueViolation } from '../infra/database/unique-violation.js';
import { scheduleConflict, validScheduleFields, writableSchedule, type ScheduleFields, type ScheduleRef } from './work-schedule-rules.js';

export interface UpdateWorkScheduleOptions {
  prisma: PrismaClient;
  viewer: UserViewer;
  id: number;
  patch: Partial<ScheduleFields>;
}

export async function updateWorkSchedule({ prisma, viewer, id, patch }: UpdateWorkScheduleOptions): Promise<ScheduleRef> {
  const current = await writableSchedule(prisma, viewer, id);
  const next = validScheduleFields({
    date: patch.date ?? current.date,
    startsAt: patch.startsAt ?? current.startsAt,
    endsAt: patch.endsAt ?? current.endsAt,
    remote: patch.remote ?? current.remote,
  });
  try {
    await prisma.workSchedule.update({ where: { id }, data: next, select: { id: true } });
    return { id, userId: current.user.id };
  } catch (error) {
    if (isUniqueViolation(error)) throw scheduleConflict();
    throw error;
  }
}
