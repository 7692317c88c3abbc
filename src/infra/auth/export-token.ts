// Short-lived signed download tokens for CSV exports, so a browser can follow a link without putting the
// bearer token in a URL. HS256 with the server's secret; bound to a user and to the export's filter.
import { jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'weekly-pulse:export';

export interface ExportGrant<F> {
  userId: number;
  filter: F;
}

export function createExportTokens(secret: string, ttl = '5m') {
  const key = new TextEncoder().encode(secret);
  return {
    sign: <F extends object>(grant: ExportGrant<F>) =>
      new SignJWT({ filter: grant.filter })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(grant.userId))
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(ttl)
        .sign(key),
    async verify<F>(token: string): Promise<ExportGrant<F> | null> {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience: AUDIENCE, requiredClaims: ['sub', 'exp'] });
        const userId = Number(payload.sub);
        return Number.isSafeInteger(userId) ? { userId, filter: payload.filter as F } : null;
      } catch {
        return null;
      }
    },
  };
}

export type ExportTokens = ReturnType<typeof createExportTokens>;
