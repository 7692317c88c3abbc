// `npm run db:migrate`: applies pending migrations to the PostgreSQL server in DATABASE_URL.
// Safe to run from several instances at once (one applies, the others wait on an advisory lock).
import { ConfigError, loadConfig } from '../src/config.js';
import { migrate } from '../src/infra/database/migrator.js';
import { openDatabase } from '../src/infra/database/open-database.js';

async function main() {
  const config = loadConfig();
  const db = await openDatabase(config.database);
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
