// Short-lived signed download tokens for CSV exports, so a browser can follow a link without putting the
// bearer token in a URL. A link opens its download and nothing else: it is signed with a key of its own,
// derived from the server's secret (HKDF), so a session-token verifier cannot accept it as a login, and a
// session token cannot open the export route as a link, whatever JWT_AUDIENCE says. Bound to a user and
// to the export's filter.
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'weekly-pulse:export';
/** The JOSE `typ` of a link token (RFC 8725 §3.11: explicit typing keeps one kind of JWT from passing as another). */
const TYPE = 'wp-export+jwt';

export interface ExportGrant<F> {
  userId: number;
  filter: F;
}

/** The links' own key: HKDF-SHA256 of the server secret, for this purpose only. */
function linkKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'weekly-pulse export link v1', 32)));
}

export function createExportTokens(secret: string, ttl = '5m') {
  const key = linkKey(secret);
  return {
    sign: <F extends object>(grant: ExportGrant<F>) =>
      new SignJWT({ filter: grant.filter })
        .setProtectedHeader({ alg: 'HS256', typ: TYPE })
        .setSubject(String(grant.userId))
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(ttl)
        .sign(key),
    async verify<F>(token: string): Promise<ExportGrant<F> | null> {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          typ: TYPE,
          audience: AUDIENCE,
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        const userId = Number(payload.sub);
        return Number.isSafeInteger(userId) ? { userId, filter: payload.filter as F } : null;
      } catch {
        return null;
      }
    },
  };
}

export type ExportTokens = ReturnType<typeof createExportTokens>;
