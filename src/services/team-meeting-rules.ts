// What every team meeting write obeys (create-team-meeting.ts, update-team-meeting-attendance.ts): how many
// attendees, and which users may be invited.
import { seesFullProfile, type UserViewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { AppError } from '../domain/errors.js';

/** Attendees of one meeting, and attendance changes in one call. */
export const MAX_ATTENDEES = 200;

/**
 * Every id must be an existing user, and an active one where the viewer may know (seesFullProfile: their
 * own direct reports for a manager, anyone for an admin). Whether anyone else is active is hidden from the
 * viewer (`User.active` is null to them), so it must not change the answer either: that would be an oracle.
 */
export async function assertAttendees(prisma: PrismaClient, viewer: UserViewer, ids: readonly number[], field: string): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const found = await prisma.user.findMany({ where: { id: { in: unique } }, select: { id: true, managerId: true, active: true } });
  if (found.length !== unique.length || found.some((user) => !user.active && seesFullProfile(viewer, user))) {
    throw new AppError('BAD_USER_INPUT', `${field}: one or more of these users cannot be invited`, { field });
  }
}
