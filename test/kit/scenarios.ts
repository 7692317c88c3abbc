// Named test scenarios: small, fully known datasets written through Prisma, so assertions can be
// checked against independent SQL over the same rows.
import { addWeeks } from '../../src/domain/iso-week.js';
import type { Database } from '../../src/infra/database/open-database.js';
import { rebuildWeeklyAggregates } from '../../src/services/weekly-aggregates.js';

const PLACES = [
  ['Berlin', 'DE'],
  ['Munich', 'DE'],
  ['Paris', 'FR'],
  ['Lyon', 'FR'],
  ['Madrid', 'ES'],
  ['Lisbon', 'PT'],
  ['Warsaw', 'PL'],
  ['Prague', 'CZ'],
  ['Vienna', 'AT'],
  ['Rome', 'IT'],
] as const;

export const TEAM_END_WEEK = '2026-W47';

export interface TeamScenario {
  userIds: number[];
  managerIds: number[];
  /** User 1, an ADMIN (reads and writes everything). */
  adminId: number;
  weeks: string[];
}

/** One seeded user of each role, by seedTeam index: 1 the ADMIN, 0 a MANAGER of 1..9, 2 an EMPLOYEE reporting to 0, 5 an ANALYST. */
export interface Viewers {
  admin: number;
  manager: number;
  employee: number;
  analyst: number;
}

export function viewersOf(team: TeamScenario): Viewers {
  const at = (index: number) => {
    const id = team.userIds[index];
    if (id === undefined) throw new Error(`seedTeam has no user ${index}: seed at least 6 users to have every viewer`);
    return id;
  };
  return { admin: at(1), manager: at(0), employee: at(2), analyst: at(5) };
}

/**
 * `users` people (every 10th a MANAGER managing the next nine, user 1 an ADMIN, some ANALYSTs), each with a report for each of
 * `weeks` weeks ending at TEAM_END_WEEK except where (user + week) % 7 === 0 (missing, as in life);
 * HR metrics on even users, ops metrics on most; two schedules per user; one meeting per manager.
 */
export async function seedTeam(db: Database, { users = 60, weeks = 6 } = {}): Promise<TeamScenario> {
  const { prisma } = db;
  const weekList = Array.from({ length: weeks }, (_, i) => addWeeks(TEAM_END_WEEK, i - weeks + 1));
  const userIds: number[] = [];
  const managerIds: number[] = [];
  let managerId: number | null = null;
  for (let i = 0; i < users; i++) {
    const [city, country] = PLACES[i % PLACES.length]!;
    const isManager = i % 10 === 0;
    const user: { id: number } = await prisma.user.create({
      data: {
        email: `user${String(i).padStart(3, '0')}@example.com`,
        // Names collide on purpose (every 25 users) so orderings must use the id tie-breaker.
        name: `Person ${String.fromCharCode(65 + (i % 25))}`,
        role: isManager ? 'MANAGER' : i === 1 ? 'ADMIN' : i % 17 === 5 ? 'ANALYST' : 'EMPLOYEE',
        city,
        country,
        managerId: isManager ? null : managerId,
        active: i % 23 !== 22,
        createdAt: new Date(Date.UTC(2025, 0, 1 + ((i * 37) % 300))),
      },
      select: { id: true },
    });
    userIds.push(user.id);
    if (isManager) {
      managerId = user.id;
      managerIds.push(user.id);
    }
  }
  for (const [u, userId] of userIds.entries()) {
    for (const [w, week] of weekList.entries()) {
      if ((u + w) % 7 === 0) continue;
      await prisma.weeklyReport.create({
        data: {
          userId,
          week,
          workdays: 3 + ((u + w) % 3),
          stressLevel: 1 + ((u * 3 + w) % 10),
          highlights: `Shipped item ${u}-${w}`,
          blockers: w % 2 ? null : `Waiting on ${u}`,
          ...(u % 2 === 0 ? { hrMetrics: { create: { interviews: u % 5, offers: w % 3, hires: (u + w) % 2, attritions: 0 } } } : {}),
          ...(u % 5 !== 4
            ? { opsMetrics: { create: { ordersProcessed: 10 * u + w, tasksCompleted: u + w, incidents: w % 2, slaBreaches: 0 } } }
            : {}),
        },
      });
    }
    for (const day of [23, 24]) {
      await prisma.workSchedule.create({
        data: {
          userId,
          date: new Date(Date.UTC(2026, 10, day)),
          startsAt: new Date(Date.UTC(2026, 10, day, 8)),
          endsAt: new Date(Date.UTC(2026, 10, day, 16 + (u % 3))),
          remote: u % 3 === 0,
        },
      });
    }
  }
  for (const [m, organizerId] of managerIds.entries()) {
    const team = userIds.slice(m * 10 + 1, m * 10 + 10);
    await prisma.teamMeeting.create({
      data: {
        title: `Weekly sync ${m}`,
        startsAt: new Date(Date.UTC(2026, 10, 20 + m, 9)),
        durationMinutes: 30 + m * 15,
        city: PLACES[(m * 10) % PLACES.length]![0],
        organizerId,
        attendees: { connect: team.map((id) => ({ id })) },
      },
    });
  }
  // Written through Prisma, not through submitWeeklyReport: bring the pre-aggregated figures up to date.
  await rebuildWeeklyAggregates(db.sql);
  return { userIds, managerIds, adminId: userIds[1]!, weeks: weekList };
}
