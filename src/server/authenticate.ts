// Turns a request's `Authorization: Bearer ...` into a Viewer: the scheduler's service token, or a JWT
// whose subject is an existing, active user (role taken from the database, so demotions apply at once).
// Every failure looks the same to the client: UNAUTHENTICATED, HTTP 401, no reason.
import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Viewer } from '../domain/viewer.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { TokenVerifier } from '../infra/auth/jwt.js';
import { isDatabaseId } from '../schema/global-ids.js';

export interface AuthDependencies {
  verifier: TokenVerifier;
  /** The scheduler's shared secret, if configured. */
  serviceToken?: string;
}

export function unauthenticated(): GraphQLError {
  return new GraphQLError('Authentication required: send a valid bearer token.', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });
}

/** Constant-time comparison that does not leak the secret's length either. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export type Authenticate = ((request: Request) => Promise<Viewer>) & {
  /** The outcome of an authentication that already ran (null: refused; undefined: not run), running none. */
  known(request: Request): Viewer | null | undefined;
};

/**
 * The authenticator is memoised per request: the response cache needs the viewer before the context
 * exists (to key and serve hits), and the context needs it again; the user is loaded once.
 */
export function createAuthenticator(auth: AuthDependencies, prisma: PrismaClient): Authenticate {
  const viewers = new WeakMap<Request, Promise<Viewer>>();
  const settled = new WeakMap<Request, Viewer | null>();
  const memoised = (request: Request) => {
    let viewer = viewers.get(request);
    if (!viewer) {
      viewer = authenticate(request).then(
        (v) => (settled.set(request, v), v),
        (error: unknown) => {
          settled.set(request, null);
          throw error;
        },
      );
      viewers.set(request, viewer);
    }
    return viewer;
  };
  return Object.assign(memoised, { known: (request: Request) => settled.get(request) });

  async function authenticate(request: Request): Promise<Viewer> {
    const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/.exec(request.headers.get('authorization') ?? '');
    if (!match) throw unauthenticated();
    const token = match[1]!;
    if (auth.serviceToken !== undefined && sameSecret(token, auth.serviceToken)) return { kind: 'service' };
    const subject = await auth.verifier.verify(token);
    // users.id is an int4: a larger subject names nobody (and would make the lookup itself fail).
    const id = subject !== null && /^[1-9][0-9]{0,9}$/.test(subject) && isDatabaseId(Number(subject)) ? Number(subject) : null;
    if (id === null) throw unauthenticated();
    // One statement (a lateral join): the user with their direct reports' ids.
    const user = await prisma.user.findUnique({
      where: { id },
      select: { id: true, role: true, managerId: true, active: true, directReports: { select: { id: true }, orderBy: { id: 'asc' } } },
    });
    if (!user?.active) throw unauthenticated();
    return { kind: 'user', id: user.id, role: user.role, managerId: user.managerId, directReportIds: user.directReports.map((r) => r.id) };
  }
}
