// `npm run token -- --email <email>` or `-- --role <ROLE>`: prints a signed token for an active user,
// for development and scripts. Details go to stderr; the token alone is the last line of stdout.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import type { Role } from '../src/domain/viewer.js';
import { developmentSecret } from '../src/infra/auth/development-secret.js';
import { createTokenSigner } from '../src/infra/auth/jwt.js';
import { pendingMigrations } from '../src/infra/database/migrator.js';
import { type Database, EmbeddedDatabaseLockedError, openDatabase } from '../src/infra/database/open-database.js';
import { findUserForToken } from '../src/services/find-user-for-token.js';

const ROLES: readonly Role[] = ['EMPLOYEE', 'MANAGER', 'ANALYST', 'ADMIN'];

function fail(message: string, code = 1): never {
  console.error(`token: ${message}`);
  process.exit(code);
}

async function main() {
  const { values } = (() => {
    try {
      return parseArgs({ options: { email: { type: 'string' }, role: { type: 'string' }, ttl: { type: 'string' } } });
    } catch (error) {
      fail(`${(error as Error).message}\nusage: npm run token -- --email <email> | --role <ROLE> [--ttl 8h]`, 2);
    }
  })();
  const role = values.role?.toUpperCase();
  if ((values.email === undefined) === (role === undefined)) fail('pass exactly one of --email or --role', 2);
  if (role !== undefined && !ROLES.includes(role as Role)) fail(`--role must be one of ${ROLES.join(', ')}`, 2);

  const config = loadConfig();
  if (config.auth.jwksUrl && !config.auth.jwtSecret) fail('JWT_JWKS_URL is set: tokens come from your identity provider, not from here');
  let secret = config.auth.jwtSecret;
  if (!secret) {
    if (config.database.mode !== 'embedded' || config.database.dir.startsWith('memory://')) {
      fail('set JWT_SECRET (the same as the server’s) to sign tokens for this database');
    }
    secret = developmentSecret(config.database.dir);
  }

  let db: Database;
  try {
    db = await openDatabase(config.database);
  } catch (error) {
    if (error instanceof EmbeddedDatabaseLockedError) {
      fail(
        'the embedded database is in use by the running server, and only one process may open it. ' +
          'Use a token the server printed at start, or stop the server and run this again.',
      );
    }
    throw error;
  }
  let problem: string | undefined;
  try {
    if ((await pendingMigrations(db.sql)).length) {
      problem = 'the database is not migrated yet: start the server once (npm start) or run npm run db:migrate';
      return;
    }
    const user = await findUserForToken({
      prisma: db.prisma,
      by: values.email !== undefined ? { email: values.email } : { role: role as Role },
    });
    if (!user) {
      problem = values.email !== undefined ? `no active user with email ${values.email}` : `no active user with role ${role}`;
      return;
    }
    const sign = createTokenSigner({
      secret,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      ttl: values.ttl ?? config.auth.tokenTtl,
    });
    const token = await sign(String(user.id));
    console.error(`${user.role} ${user.name} <${user.email}> (valid ${values.ttl ?? config.auth.tokenTtl})`);
    console.log(token);
  } finally {
    await db.close();
    if (problem) fail(problem);
  }
}

main().catch((error: unknown) => {
  fail(error instanceof ConfigError ? error.message : (error as Error).message);
});
