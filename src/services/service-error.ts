// Errors a use case raises on purpose, each with a stable code; the server shows them as they are.
export type ServiceErrorCode = 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** The input field at fault, as a dotted path ("input.hrMetrics.hires"). */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Turns a zod failure into one BAD_USER_INPUT naming the first offending field. */
export function invalidInput(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ServiceError {
  const first = issues[0];
  const field = ['input', ...(first?.path ?? []).map(String)].join('.');
  return new ServiceError('BAD_USER_INPUT', `${field}: ${first?.message ?? 'invalid input'}`, field);
}

/** True for a unique-constraint violation reported by Prisma (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
