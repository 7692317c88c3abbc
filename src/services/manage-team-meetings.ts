// Managers (and admins) create team meetings with attendees; the organiser (or an admin) changes who attends.
import { z } from 'zod';
import { isUser, seesFullProfile, type UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { invalidInput, ServiceError } from './service-error.js';

const MAX_ATTENDEES = 200;

const meetingSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  startsAt: z.date(),
  durationMinutes: z.number().int('must be a whole number').min(1, 'must be 1..1440').max(1440, 'must be 1..1440'),
  city: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  attendeeIds: z.array(z.number().int()).max(MAX_ATTENDEES, `at most ${MAX_ATTENDEES} attendees`),
});

export type CreateTeamMeetingInput = z.input<typeof meetingSchema>;

interface Deps {
  prisma: PrismaClient;
  viewer: UserViewer;
}

/**
 * Every id must be an existing user, and an active one where the viewer may know (seesFullProfile: their
 * own direct reports for a manager, anyone for an admin). Whether anyone else is active is hidden from the
 * viewer (`User.active` is null to them), so it must not change the answer either: that would be an oracle.
 */
async function assertAttendees(prisma: PrismaClient, viewer: UserViewer, ids: readonly number[], field: string): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const found = await prisma.user.findMany({ where: { id: { in: unique } }, select: { id: true, managerId: true, active: true } });
  if (found.length !== unique.length || found.some((user) => !user.active && seesFullProfile(viewer, user))) {
    throw new ServiceError('BAD_USER_INPUT', `${field}: one or more of these users cannot be invited`, field);
  }
}

export async function createTeamMeeting({ prisma, viewer }: Deps, input: CreateTeamMeetingInput): Promise<number> {
  if (viewer.role !== 'MANAGER' && viewer.role !== 'ADMIN') throw new ServiceError('FORBIDDEN', 'Only managers create meetings.');
  const parsed = meetingSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { attendeeIds, ...meeting } = parsed.data;
  await assertAttendees(prisma, viewer, attendeeIds, 'input.attendeeIds');
  const created = await prisma.teamMeeting.create({
    data: { ...meeting, organizerId: viewer.id, attendees: { connect: [...new Set(attendeeIds)].map((id) => ({ id })) } },
    select: { id: true },
  });
  return created.id;
}

export async function updateTeamMeetingAttendance(
  { prisma, viewer }: Deps,
  meetingId: number,
  change: { add: readonly number[]; remove: readonly number[] },
): Promise<number> {
  const meeting = await prisma.teamMeeting.findUnique({ where: { id: meetingId }, select: { id: true, organizerId: true } });
  if (!meeting || !isUser(viewer) || (viewer.role !== 'ADMIN' && meeting.organizerId !== viewer.id)) {
    throw new ServiceError('NOT_FOUND', 'No such meeting among those you organise.');
  }
  if (change.add.length + change.remove.length > MAX_ATTENDEES) {
    throw new ServiceError('BAD_USER_INPUT', `input: change at most ${MAX_ATTENDEES} attendees at once`, 'input');
  }
  await assertAttendees(prisma, viewer, change.add, 'input.add');
  await prisma.teamMeeting.update({
    where: { id: meetingId },
    data: {
      attendees: {
        connect: [...new Set(change.add)].map((id) => ({ id })),
        disconnect: [...new Set(change.remove)].map((id) => ({ id })),
      },
    },
    select: { id: true },
  });
  return meetingId;
}
