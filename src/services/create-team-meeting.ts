// Managers (and admins) create team meetings they organise, with attendees.
import { z } from 'zod';
import { AppError, invalidInput } from '../domain/errors.js';
import type { UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { assertAttendees, MAX_ATTENDEES } from './team-meeting-rules.js';

const meetingSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  startsAt: z.date(),
  durationMinutes: z.number().int('must be a whole number').min(1, 'must be 1..1440').max(1440, 'must be 1..1440'),
  city: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  attendeeIds: z.array(z.number().int()).max(MAX_ATTENDEES, `at most ${MAX_ATTENDEES} attendees`),
});

export type CreateTeamMeetingInput = z.input<typeof meetingSchema>;

export interface CreateTeamMeetingOptions {
  prisma: PrismaClient;
  viewer: UserViewer;
  input: CreateTeamMeetingInput;
}

/** Returns the new meeting's id. */
export async function createTeamMeeting({ prisma, viewer, input }: CreateTeamMeetingOptions): Promise<number> {
  if (viewer.role !== 'MANAGER' && viewer.role !== 'ADMIN') throw new AppError('FORBIDDEN', 'Only managers create meetings.');
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
