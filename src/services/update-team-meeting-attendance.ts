// The organiser of a meeting (or an admin) adds and removes attendees.
import { AppError } from '../domain/errors.js';
import { isUser, type UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { assertAttendees, MAX_ATTENDEES } from './team-meeting-rules.js';

export interface UpdateTeamMeetingAttendanceOptions {
  prisma: PrismaClient;
  viewer: UserViewer;
  meetingId: number;
  add: readonly number[];
  remove: readonly number[];
}

/** Returns the meeting's id. */
export async function updateTeamMeetingAttendance({
  prisma,
  viewer,
  meetingId,
  add,
  remove,
}: UpdateTeamMeetingAttendanceOptions): Promise<number> {
  const meeting = await prisma.teamMeeting.findUnique({ where: { id: meetingId }, select: { id: true, organizerId: true } });
  if (!meeting || !isUser(viewer) || (viewer.role !== 'ADMIN' && meeting.organizerId !== viewer.id)) {
    throw new AppError('NOT_FOUND', 'No such meeting among those you organise.');
  }
  if (add.length + remove.length > MAX_ATTENDEES) {
    throw new AppError('BAD_USER_INPUT', `input: change at most ${MAX_ATTENDEES} attendees at once`, { field: 'input' });
  }
  await assertAttendees(prisma, viewer, add, 'input.add');
  await prisma.teamMeeting.update({
    where: { id: meetingId },
    data: {
      attendees: {
        connect: [...new Set(add)].map((id) => ({ id })),
        disconnect: [...new Set(remove)].map((id) => ({ id })),
      },
    },
    select: { id: true },
  });
  return meetingId;
}
