// Applies prisma/migrations/*/migration.sql in order and records them in a `_prisma_migrations` table
// compatible with Prisma's, because Prisma's migrate engine cannot be downloaded here (docs/decisions).
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlClient } from './sql-client.js';

/** The advisory lock id Prisma Migrate itself uses, so our migrator and Prisma's exclude each other. */
const MIGRATION_LOCK_ID = 72707369;

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending migrations. Safe to run from several processes at once: they queue on an advisory lock,
 * and each one reads the applied set after acquiring it. The run is one transaction and the lock a
 * transaction-scoped one (pg_advisory_xact_lock): a session-level lock taken through a transaction pooler
 * (PgBouncer, pool_mode=transaction) stays on whichever server connection ran it, held for the next client
 * and never released by an unlock that lands on another. It still excludes Prisma Migrate's session lock on
 * the same id. Each migration runs under a savepoint: a failing one leaves nothing of itself behind, and the
 * ones before it in the run stay applied. (So a migration cannot use what an earlier one of the same run
 * must have committed first, such as an enum value added by ALTER TYPE ... ADD VALUE: apply those in two runs.)
 */
export async function migrate(db: SqlClient, options: { dir?: string; log?: (message: string) => void } = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  const log = options.log ?? (() => {});
  const outcome = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await tx.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r]));
    for (const row of rows) {
      if (!row.finished_at) {
        throw new MigrationError(`migration ${row.migration_name} started but never finished; resolve it by hand`);
      }
      const local = migrations.find((m) => m.name === row.migration_name);
      if (!local) {
        throw new MigrationError(`migration ${row.migration_name} is applied but missing from prisma/migrations`);
      }
      if (local.checksum !== row.checksum) {
        throw new MigrationError(`migration ${row.migration_name} was edited after it was applied; add a new migration instead`);
      }
    }
    const done: string[] = [];
    for (const migration of migrations.filter((m) => !applied.has(m.name))) {
      log(`applying migration ${migration.name}`);
      await tx.exec('SAVEPOINT migration');
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        await tx.exec('ROLLBACK TO SAVEPOINT migration');
        // Returned, not thrown: the migrations before it commit.
        const failure = new MigrationError(`migration ${migration.name} was rolled back: ${(error as Error).message}`, { cause: error });
        return { applied: done, alreadyApplied: applied.size, failure };
      }
      await tx.exec('RELEASE SAVEPOINT migration');
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, clock_timestamp(), $3, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      done.push(migration.name);
    }
    return { applied: done, alreadyApplied: applied.size, failure: undefined };
  });
  if (outcome.failure) throw outcome.failure;
  return { applied: outcome.applied, alreadyApplied: outcome.alreadyApplied };
}

/** Names of migrations not yet applied (read-only; no lock taken). */
export async function pendingMigrations(db: SqlClient, dir = DEFAULT_MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const [table] = await db.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
  if (!table?.exists) return migrations.map((m) => m.name);
  const rows = await db.query<{ migration_name: string }>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}
