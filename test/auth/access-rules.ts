// The access rules restated as independent SQL over the seedTeam scenario, and the cast of people
// the authorization tests act as. Deliberately shares no code with src/services/visibility.ts.
import { expect } from 'vitest';
import type { TestApi } from '../kit/api.js';
import type { TeamScenario } from '../kit/scenarios.js';

/** Who a request is made as: no token, the scheduler's service token, or a user of each role. */
export const ACTORS = ['anonymous', 'SERVICE', 'EMPLOYEE', 'MANAGER', 'ANALYST', 'ADMIN'] as const;
export type Actor = (typeof ACTORS)[number];

/** One value per actor, in ACTORS order, so that a matrix row reads across like the table. */
export type PerActor<T> = readonly [anonymous: T, service: T, employee: T, manager: T, analyst: T, admin: T];

/** Whose private data (full profile, reports, schedules) a viewer reads. */
export type PeopleScope = 'self' | 'selfAndReports' | 'everyone';
/** Which team meetings a viewer reads. */
export type MeetingScope = 'organisedOrAttended' | 'all';

/** seedTeam users by index: every 10th a MANAGER of the next nine, index 1 ADMIN, i % 17 === 5 ANALYST. */
export interface Cast {
  /** Index 12: an EMPLOYEE reporting to `manager`. */
  employee: number;
  /** Index 13: another of `manager`'s reports, the employee's peer. */
  teammate: number;
  /** Index 10: a MANAGER of indexes 11..19. */
  manager: number;
  /** Index 20: a MANAGER of another team. */
  otherManager: number;
  /** Index 33: an EMPLOYEE in a third team (manager index 30). */
  outsider: number;
  /** Index 39: an ANALYST (in the third team). */
  analyst: number;
  /** Index 1: the ADMIN (reporting to manager index 0). */
  admin: number;
}

/** Picks the cast from the seeded team and checks the seed still gives each person the assumed role. */
export async function castOf(api: TestApi, team: TeamScenario): Promise<Cast> {
  const at = (index: number) => team.userIds[index]!;
  const cast: Cast = {
    employee: at(12),
    teammate: at(13),
    manager: at(10),
    otherManager: at(20),
    outsider: at(33),
    analyst: at(39),
    admin: at(1),
  };
  const rows = await api.db.sql.query<{ id: number; role: string; manager_id: number | null; active: boolean }>(
    'SELECT id, role::text AS role, manager_id, active FROM users WHERE id = ANY($1::int[])',
    [Object.values(cast)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const expected: [keyof Cast, string, number | null][] = [
    ['employee', 'EMPLOYEE', cast.manager],
    ['teammate', 'EMPLOYEE', cast.manager],
    ['manager', 'MANAGER', null],
    ['otherManager', 'MANAGER', null],
    ['outsider', 'EMPLOYEE', at(30)],
    ['analyst', 'ANALYST', at(30)],
    ['admin', 'ADMIN', at(0)],
  ];
  for (const [name, role, managerId] of expected) {
    expect(byId.get(cast[name]), `seedTeam changed: ${name}`).toEqual({ id: cast[name], role, manager_id: managerId, active: true });
  }
  return cast;
}

/** The user id an actor signs in as; anonymous and SERVICE have none. */
export function userIdOf(cast: Cast, actor: Actor): number | null {
  const ids: Record<Actor, number | null> = {
    anonymous: null,
    SERVICE: null,
    EMPLOYEE: cast.employee,
    MANAGER: cast.manager,
    ANALYST: cast.analyst,
    ADMIN: cast.admin,
  };
  return ids[actor];
}

export function actAs(api: TestApi, cast: Cast, actor: Actor): void {
  api.actAs(actor === 'anonymous' ? null : actor === 'SERVICE' ? 'service' : userIdOf(cast, actor));
}

/** Ids of the users whose private data `scope` covers, for the viewer `viewerId`. */
export async function peopleIn(api: TestApi, scope: PeopleScope, viewerId: number): Promise<Set<number>> {
  const sql = {
    self: 'SELECT id FROM users WHERE id = $1',
    selfAndReports: 'SELECT id FROM users WHERE id = $1 OR manager_id = $1',
    everyone: 'SELECT id FROM users WHERE $1::int IS NOT NULL',
  }[scope];
  const rows = await api.db.sql.query<{ id: number }>(sql, [viewerId]);
  return new Set(rows.map((r) => r.id));
}

/** Ids of the meetings `scope` covers, for the viewer `viewerId`. */
export async function meetingsIn(api: TestApi, scope: MeetingScope, viewerId: number): Promise<Set<number>> {
  const sql = {
    organisedOrAttended:
      'SELECT id FROM team_meetings WHERE organizer_id = $1 OR id IN (SELECT "A" FROM "_MeetingAttendees" WHERE "B" = $1)',
    all: 'SELECT id FROM team_meetings WHERE $1::int IS NOT NULL',
  }[scope];
  const rows = await api.db.sql.query<{ id: number }>(sql, [viewerId]);
  return new Set(rows.map((r) => r.id));
}

/** Every user's email that `scope` does not cover: none of them may appear in a response. */
export async function emailsOutside(api: TestApi, scope: PeopleScope, viewerId: number): Promise<string[]> {
  const visible = await peopleIn(api, scope, viewerId);
  const rows = await api.db.sql.query<{ id: number; email: string }>('SELECT id, email FROM users');
  return rows.filter((r) => !visible.has(r.id)).map((r) => r.email);
}
