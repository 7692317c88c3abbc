// `npm run db:migrate`: applies pending migrations to the PostgreSQL server in DATABASE_URL, or in
// DATABASE_DIRECT_URL when set (around a transaction pooler such as PgBouncer, as Prisma's own CLI needs).
// Safe to run from several instances at once (one applies, the others wait on an advisory lock).
import { ConfigError, loadMigrationConfig } from '../src/config.js';
import { migrate } from '../src/infra/database/migrator.js';
import { openDatabase } from '../src/infra/database/open-database.js';

async function main() {
  // The database's settings only: a migration in production mode needs no signing key (loadMigrationConfig).
  const database = loadMigrationConfig();
  // DDL holds its locks until the run commits: it must not also hold one of the pooler's few server connections.
  const db = await openDatabase(database.mode === 'postgres' ? { ...database, url: database.directUrl ?? database.url } : database);
  try {
    const result = await migrate(db.sql, { log: (m) => console.log(m) });
    console.log(
      result.applied.length
        ? `applied ${result.applied.length} migration(s); ${result.alreadyApplied} were already applied`
        : `database is up to date (${result.alreadyApplied} migration(s) applied)`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`);
  process.exit(1);
});
