// Deletes a work schedule the viewer may write (their own, or a direct report's for a manager).
import type { UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { writableSchedule, type ScheduleRef } from './work-schedule-rules.js';

export interface DeleteWorkScheduleOptions {
  prisma: PrismaClient;
  viewer: UserViewer;
  id: number;
}

export async function deleteWorkSchedule({ prisma, viewer, id }: DeleteWorkScheduleOptions): Promise<ScheduleRef> {
  const schedule = await writableSchedule(prisma, viewer, id);
  await prisma.workSchedule.delete({ where: { id } });
  return { id, userId: schedule.user.id };
}
