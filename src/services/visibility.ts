// Row-level read rules as Prisma `where` clauses, so that every list, count, cursor and node lookup
// is filtered in SQL to what the viewer may see (nothing is fetched and then dropped).
import { isUser, readsEverything, type UserViewer, type Viewer } from '../domain/viewer.js';
import type { Prisma } from '../generated/prisma/client.js';

/** Matches nothing: for identities that read no rows (the service). */
const NOTHING = { id: { in: [] as number[] } };

/** The viewer's direct reports, only while their role is MANAGER: a demotion takes them away at once. */
function managedBy(viewer: UserViewer): Prisma.UserWhereInput {
  return viewer.role === 'MANAGER' ? { managerId: viewer.id } : NOTHING;
}

/** Reports: ANALYST/ADMIN all; others their own and, for managers, their direct reports'. */
export function reportsVisibleTo(viewer: Viewer): Prisma.WeeklyReportWhereInput {
  if (readsEverything(viewer)) return {};
  if (!isUser(viewer)) return NOTHING;
  return { OR: [{ userId: viewer.id }, { user: managedBy(viewer) }] };
}

/** Work schedules follow the same rule as reports. */
export function schedulesVisibleTo(viewer: Viewer): Prisma.WorkScheduleWhereInput {
  if (readsEverything(viewer)) return {};
  if (!isUser(viewer)) return NOTHING;
  return { OR: [{ userId: viewer.id }, { user: managedBy(viewer) }] };
}

/** Meetings: ANALYST/ADMIN all; others those they organise or attend. */
export function meetingsVisibleTo(viewer: Viewer): Prisma.TeamMeetingWhereInput {
  if (readsEverything(viewer)) return {};
  if (!isUser(viewer)) return NOTHING;
  return { OR: [{ organizerId: viewer.id }, { attendees: { some: { id: viewer.id } } }] };
}

/**
 * Users listed as someone's direct reports: visible when the viewer sees that manager's full profile
 * (the manager is the viewer, or reports to the viewer), or reads everything.
 */
export function directReportsVisibleTo(viewer: Viewer): Prisma.UserWhereInput {
  if (readsEverything(viewer)) return {};
  if (!isUser(viewer)) return NOTHING;
  return { OR: [{ managerId: viewer.id }, { manager: managedBy(viewer) }] };
}

/** Users' public profiles (name, city, country, role) are visible to every signed-in user. */
export function usersVisibleTo(viewer: Viewer): Prisma.UserWhereInput {
  return isUser(viewer) ? {} : NOTHING;
}

/** Text search may match emails only for viewers who may read every email. */
export function searchesEmails(viewer: Viewer): boolean {
  return readsEverything(viewer);
}

/** People whose reports the viewer may read (the people side of `reportsVisibleTo`). */
export function reportAuthorsVisibleTo(viewer: Viewer): Prisma.UserWhereInput {
  if (readsEverything(viewer)) return {};
  if (!isUser(viewer)) return NOTHING;
  return { OR: [{ id: viewer.id }, viewer.role === 'MANAGER' ? { managerId: viewer.id } : NOTHING] };
}
