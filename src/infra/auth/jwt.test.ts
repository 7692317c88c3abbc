// The verifier's memo of verified tokens: a repeat is answered without the crypto, but never past the
// token's expiry, and a forged or altered token is never answered from it.
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenSigner, createTokenVerifier } from './jwt.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes';

describe('createTokenVerifier', () => {
  afterEach(() => vi.useRealTimers());

  it('accepts a repeat of a valid token until it expires, then refuses it', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T12:00:00Z'), toFake: ['Date'] });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('7')
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(new TextEncoder().encode(SECRET));
    const verifier = createTokenVerifier({ secret: SECRET });
    expect(await verifier.verify(token)).toBe('7');
    expect(await verifier.verify(token)).toBe('7');
    vi.setSystemTime(new Date('2026-11-28T12:02:01Z'));
    expect(await verifier.verify(token)).toBeNull();
  });

  it('refuses an altered token even after the original was verified', async () => {
    const token = await createTokenSigner({ secret: SECRET, ttl: '5m' })('7');
    const verifier = createTokenVerifier({ secret: SECRET });
    expect(await verifier.verify(token)).toBe('7');
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: '1', exp: 4_000_000_000 })).toString('base64url')}.${signature}`;
    expect(await verifier.verify(forged)).toBeNull();
    expect(await createTokenVerifier({ secret: `${SECRET}-other` }).verify(token)).toBeNull();
  });
});
