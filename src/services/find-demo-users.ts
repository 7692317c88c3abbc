// Picks the demo identities the embedded default hands to a newcomer: the first active analyst and the
// first active employee (with a manager, so the team views have something to show).
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Role } from '../domain/viewer.js';

export interface DemoUser {
  id: number;
  email: string;
  name: string;
  role: Role;
}

export interface FindDemoUsersOptions {
  prisma: PrismaClient;
}

export async function findDemoUsers({ prisma }: FindDemoUsersOptions): Promise<DemoUser[]> {
  const select = { id: true, email: true, name: true, role: true } as const;
  const picks = await Promise.all([
    prisma.user.findFirst({ where: { role: 'ANALYST', active: true }, orderBy: { id: 'asc' }, select }),
    prisma.user.findFirst({ where: { role: 'EMPLOYEE', active: true, managerId: { not: null } }, orderBy: { id: 'asc' }, select }),
  ]);
  return picks.filter((u): u is DemoUser => u !== null);
}
