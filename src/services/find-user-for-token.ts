// Finds the user `npm run token` signs a token for: one active user by email, or the first active user with a role.
import type { Role } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { DemoUser } from './find-demo-users.js';

export interface FindUserForTokenOptions {
  prisma: PrismaClient;
  by: { email: string } | { role: Role };
}

export async function findUserForToken({ prisma, by }: FindUserForTokenOptions): Promise<DemoUser | null> {
  return prisma.user.findFirst({
    where: { active: true, ...('email' in by ? { email: by.email } : { role: by.role }) },
    orderBy: { id: 'asc' },
    select: { id: true, email: true, name: true, role: true },
  });
}
