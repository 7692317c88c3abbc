// JSON Web Tokens with jose: HS256 with a shared secret, or RS256/ES256 keys from a JWKS URL.
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';

export interface JwtOptions {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export interface TokenVerifier {
  /** The token's subject, or null for any invalid, expired or wrongly signed token (no reason given). */
  verify(token: string): Promise<string | null>;
}

export function createTokenVerifier(options: JwtOptions): TokenVerifier {
  const key: Uint8Array | JWTVerifyGetKey = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl))
    : new TextEncoder().encode(requireSecret(options.secret));
  const algorithms = options.jwksUrl ? ['RS256', 'ES256'] : ['HS256'];
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key as Uint8Array, {
          algorithms,
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ['sub', 'exp'],
        });
        return typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}

/** Signs HS256 tokens (development, scripts and tests); production identity providers sign their own. */
export function createTokenSigner(options: JwtOptions & { ttl: string }) {
  const key = new TextEncoder().encode(requireSecret(options.secret));
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
