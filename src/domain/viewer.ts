// Who is making a request: a signed-in user (role read from the database on every request) or the
// scheduler's service identity. Anonymous requests never get this far.
export type Role = 'EMPLOYEE' | 'MANAGER' | 'ANALYST' | 'ADMIN';

export type Viewer =
  | {
      kind: 'user';
      id: number;
      role: Role;
      managerId: number | null;
      /**
       * The ids of the user's direct reports, ascending, as read with the role: whose full profiles a
       * MANAGER reads. Part of the response cache's key, so a team change (even one written outside this
       * API) is never answered from a response cached for the old team. Absent where nothing caches.
       */
      directReportIds?: readonly number[];
    }
  | { kind: 'service' };

export type UserViewer = Extract<Viewer, { kind: 'user' }>;

export function isUser(viewer: Viewer): viewer is UserViewer {
  return viewer.kind === 'user';
}

/** ANALYST and ADMIN read everything. */
export function readsEverything(viewer: Viewer): boolean {
  return isUser(viewer) && (viewer.role === 'ANALYST' || viewer.role === 'ADMIN');
}

/** The full profile of `user` (email, reports, schedules...): themself, their manager (while a MANAGER), ANALYST, ADMIN. */
export function seesFullProfile(viewer: Viewer, user: { id: number; managerId: number | null }): boolean {
  if (!isUser(viewer)) return false;
  return readsEverything(viewer) || viewer.id === user.id || (viewer.role === 'MANAGER' && user.managerId === viewer.id);
}

/** Who may write a user's schedules: ADMIN anyone's; EMPLOYEE and MANAGER their own; MANAGER their direct reports'. */
export function writesSchedulesOf(viewer: Viewer, user: { id: number; managerId: number | null }): boolean {
  if (!isUser(viewer) || viewer.role === 'ANALYST') return false;
  if (viewer.role === 'ADMIN' || viewer.id === user.id) return true;
  return viewer.role === 'MANAGER' && user.managerId === viewer.id;
}
