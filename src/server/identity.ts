// Who is making a request, decided once per request and read by every step of the pipeline (no step asks
// again or decides differently what a failure means). A bearer token is the scheduler's service token or a
// JWT whose subject is an existing, active user (role and team read from the database through this
// instance's viewer cache, which PostgreSQL invalidates: a demotion applies on every instance within
// MAX_STALE_MS, viewer-cache.ts); an export link names its user the same way (use-export-route.ts).
//
// The outcomes, and what the pipeline does with each:
//   viewer       a user or the service: it runs as that viewer.
//   anonymous    no Authorization header:           401 UNAUTHENTICATED from the context, the persisted-operation
//   refused      a token that is invalid, expired,  rule or the export route; rate-limited by client address;
//                or names an unknown/inactive user  never cached, never an Idempotency-Key owner.
//   unavailable  the user lookup failed because the database is down: 503 SERVICE_UNAVAILABLE wherever a
//                viewer is required; not counted by the rate limiter (it is no anonymous request).
//   failed       the lookup failed otherwise (a bug): INTERNAL_SERVER_ERROR wherever a viewer is required.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { Viewer } from '../domain/viewer.js';
import type { TokenVerifier } from '../infra/auth/jwt.js';
import type { Database } from '../infra/database/open-database.js';
import { isDatabaseUnavailable } from '../infra/database/unavailable.js';
import { apiError } from '../schema/errors.js';
import { isDatabaseId } from '../schema/global-ids.js';
import { createViewerCache, type ViewerCacheOptions } from './viewer-cache.js';

export type Identity =
  | { outcome: 'viewer'; viewer: Viewer }
  | { outcome: 'anonymous' }
  | { outcome: 'refused' }
  | { outcome: 'unavailable'; error: unknown }
  | { outcome: 'failed'; error: unknown };

export interface AuthDependencies {
  verifier: TokenVerifier;
  /** The scheduler's shared secret, if configured. */
  serviceToken?: string;
}

export interface Identities {
  /** The request's identity from its Authorization header: looked up on the first call, the same answer after. Never throws. */
  of(request: Request): Promise<Identity>;
  /** The identity of an export link's user (its signature already checked), recorded as this request's. */
  ofLinkUser(request: Request, userId: number): Promise<Identity>;
  /** The identity already decided for this request, without deciding it (request logs). */
  known(request: Request): Identity | undefined;
  /** Stops watching the database (the viewer cache's listener and poll). */
  close(): Promise<void>;
}

export interface IdentitiesOptions {
  auth: AuthDependencies;
  db: Pick<Database, 'prisma' | 'listen'>;
  /** The viewer cache's knobs (tests shorten or lengthen them) and its hit/miss counter. */
  cache?: Pick<ViewerCacheOptions<Identity>, 'onLookup' | 'pollMs' | 'maxStaleMs'>;
}

const ANONYMOUS: Identity = { outcome: 'anonymous' };
const REFUSED: Identity = { outcome: 'refused' };

/** Every refusal looks the same to the client: no reason is given. */
export function unauthenticated(): GraphQLError {
  return apiError('UNAUTHENTICATED', 'Authentication required: send a valid bearer token.', {
    request: { headers: { 'WWW-Authenticate': 'Bearer' } },
  });
}

/** The viewer, or the error that answers a request which needs one (see the outcomes above). */
export function requireViewer(identity: Identity): Viewer {
  switch (identity.outcome) {
    case 'viewer':
      return identity.viewer;
    case 'anonymous':
    case 'refused':
      throw unauthenticated();
    case 'unavailable':
    case 'failed':
      // Rendered by mask-error.ts: 503 with Retry-After, or a logged INTERNAL_SERVER_ERROR.
      throw identity.error;
  }
}

/** The viewer when there is one; null for every other outcome. */
export function viewerOf(identity: Identity | undefined): Viewer | null {
  return identity?.outcome === 'viewer' ? identity.viewer : null;
}

/** Constant-time comparison that does not leak the secret's length either. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function createIdentities({ auth, db, cache: cacheOptions }: IdentitiesOptions): Identities {
  const { prisma } = db;
  // Outages and bugs are not kept: the next request asks the database again.
  const cache = createViewerCache<Identity>({ db, keep: (i) => i.outcome === 'viewer' || i.outcome === 'refused', ...cacheOptions });
  const pending = new WeakMap<Request, Promise<Identity>>();
  const settled = new WeakMap<Request, Identity>();

  const remember = (request: Request, decide: () => Promise<Identity>) => {
    const identity = decide().then((outcome) => {
      settled.set(request, outcome);
      return outcome;
    });
    pending.set(request, identity);
    return identity;
  };

  /** One statement (a lateral join): the user with their direct reports' ids; refused unless active. */
  async function lookUp(id: number): Promise<Identity> {
    try {
      const user = await prisma.user.findUnique({
        where: { id },
        select: { id: true, role: true, managerId: true, active: true, directReports: { select: { id: true }, orderBy: { id: 'asc' } } },
      });
      if (!user?.active) return REFUSED;
      const viewer: Viewer = {
        kind: 'user',
        id: user.id,
        role: user.role,
        managerId: user.managerId,
        directReportIds: user.directReports.map((r) => r.id),
      };
      return { outcome: 'viewer', viewer };
    } catch (error) {
      return isDatabaseUnavailable(error) ? { outcome: 'unavailable', error } : { outcome: 'failed', error };
    }
  }

  async function fromHeader(request: Request): Promise<Identity> {
    const header = request.headers.get('authorization');
    if (header === null) return ANONYMOUS;
    const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!match) return REFUSED;
    const token = match[1]!;
    if (auth.serviceToken !== undefined && sameSecret(token, auth.serviceToken)) return { outcome: 'viewer', viewer: { kind: 'service' } };
    const subject = await auth.verifier.verify(token);
    // users.id is an int4: a larger subject names nobody (and would make the lookup itself fail).
    const id = subject !== null && /^[1-9][0-9]{0,9}$/.test(subject) && isDatabaseId(Number(subject)) ? Number(subject) : null;
    return id === null ? REFUSED : cache.get(id, () => lookUp(id));
  }

  return {
    of: (request) => pending.get(request) ?? remember(request, () => fromHeader(request)),
    ofLinkUser: (request, userId) => remember(request, () => cache.get(userId, () => lookUp(userId))),
    known: (request) => settled.get(request),
    close: () => cache.close(),
  };
}
