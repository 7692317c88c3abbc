// Outside production, a JWT secret need not be configured: one is generated and kept beside the
// embedded database (so printed tokens survive restarts), or per process when there is no folder.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function developmentSecret(embeddedDir: string | undefined): string {
  if (!embeddedDir || embeddedDir.startsWith('memory://')) return randomBytes(32).toString('base64url');
  const file = `${resolve(embeddedDir)}.jwt-secret`;
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: create it below
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
