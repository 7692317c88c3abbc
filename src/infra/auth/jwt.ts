// JSON Web Tokens with jose: HS256 with a shared secret, or RS256/ES256 keys from a JWKS URL.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

export interface JwtOptions {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /**
   * Longest lifetime (`exp - iat`, in seconds) of a token signed with the shared secret; longer ones, and
   * ones without `iat`, are refused. An identity provider's (JWKS) tokens are its own business.
   */
  maxAgeSeconds?: number;
}

/** `JWT_MAX_AGE` when unset: a working day and a half. */
export const DEFAULT_MAX_AGE_SECONDS = 12 * 3600;

/** The JOSE `typ` of export links (src/infra/auth/export-token.ts): never a session token. */
const EXPORT_LINK_TYPE = 'wp-export+jwt';

export interface TokenVerifier {
  /** The token's subject, or null for any invalid, expired or wrongly signed token (no reason given). */
  verify(token: string): Promise<string | null>;
}

export function createTokenVerifier(options: JwtOptions): TokenVerifier {
  // A KeyObject, not the secret's bytes: jose imports raw bytes into WebCrypto on every verify (~20% of
  // a cached request's CPU in the benchmark), but converts a KeyObject once and keeps it.
  const key: KeyObject | JWTVerifyGetKey = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl))
    : createSecretKey(Buffer.from(requireSecret(options.secret), 'utf8'));
  const algorithms = options.jwksUrl ? ['RS256', 'ES256'] : ['HS256'];
  const shared = !options.jwksUrl;
  const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  // A dashboard sends the same token with every request: its verdict is kept until the token expires
  // (a signature does not change its mind), so repeat requests skip the crypto. Bounded; invalid tokens
  // are not kept, so garbage cannot evict good entries faster than it is sent.
  const verified = new LRUCache<string, { subject: string; expiresAt: number }>({
    max: 10_000,
    // Tokens are as long as a client makes them (up to the header limit): bounded by their bytes too.
    maxSize: 8 * 1024 * 1024,
    sizeCalculation: (_verdict, token) => token.length + 64,
  });
  return {
    async verify(token) {
      const known = verified.get(token);
      // Expiry is checked on the wall clock, as jose checks `exp`.
      if (known && Date.now() < known.expiresAt) return known.subject;
      try {
        const { payload, protectedHeader } = await jwtVerify(token, key as KeyObject, {
          algorithms,
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: shared ? ['sub', 'exp', 'iat'] : ['sub', 'exp'],
          // Also refuses an `iat` in the future.
          ...(shared ? { maxTokenAge: maxAgeSeconds } : {}),
        });
        if (typeof payload.sub !== 'string' || protectedHeader.typ === EXPORT_LINK_TYPE) return null;
        if (shared && payload.exp! - payload.iat! > maxAgeSeconds) return null;
        const expiresAt = payload.exp! * 1000;
        if (expiresAt > Date.now()) verified.set(token, { subject: payload.sub, expiresAt }, { ttl: expiresAt - Date.now() });
        return payload.sub;
      } catch {
        return null;
      }
    },
  };
}

/** Signs HS256 tokens (development, scripts and tests); production identity providers sign their own. */
export function createTokenSigner(options: JwtOptions & { ttl: string }) {
  const key = createSecretKey(Buffer.from(requireSecret(options.secret), 'utf8'));
  return (subject: string): Promise<string> => {
    let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuedAt().setExpirationTime(options.ttl);
    if (options.issuer) jwt = jwt.setIssuer(options.issuer);
    if (options.audience) jwt = jwt.setAudience(options.audience);
    return jwt.sign(key);
  };
}

function requireSecret(secret: string | undefined): string {
  if (!secret) throw new Error('JWT_SECRET is not set');
  return secret;
}
