// Recognises the database refusing a duplicate, so a use case can answer CONFLICT instead of failing.

/** True for a unique-constraint violation reported by Prisma (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
