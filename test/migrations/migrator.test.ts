// Exercises the project's migrator (src/infra/database/migrator.ts) on fresh databases: Prisma-compatible
// bookkeeping, idempotence, refusal of edited migrations, atomic failure, and concurrent runs, in-process
// and through the real CLI (scripts/migrate.ts).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MigrationError } from '../../src/infra/database/migrator.js';
import { openDatabase } from '../../src/infra/database/open-database.js';
import type { SqlClient } from '../../src/infra/database/sql-client.js';
import { createEmptyDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';
import { introspectSchema } from '../kit/introspect.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MIGRATIONS_DIR = join(REPO_ROOT, 'prisma', 'migrations');
const MIGRATION_NAMES = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
/** The advisory lock key Prisma Migrate uses (and so does our migrator). */
const PRISMA_MIGRATE_LOCK = 72707369;

const sha256OfFile = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const migrationRows = (sql: SqlClient) => sql.query<MigrationRow>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name, started_at');

const relationExists = async (sql: SqlClient, name: string) =>
  (await sql.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [name]))[0]!.exists;

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A private copy of prisma/migrations to edit; `extra` adds migrations to it. */
function copyOfMigrations(extra: Record<string, string> = {}): string {
  const dir = tempDir('wp-migrations-');
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('migrate() on an empty database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createEmptyDatabase();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('applies every migration in order and records it as Prisma Migrate does', async () => {
    const log: string[] = [];
    const result = await migrate(db.sql, { log: (message) => log.push(message) });

    expect(result).toEqual({ applied: MIGRATION_NAMES, alreadyApplied: 0 });
    expect(log).toEqual(MIGRATION_NAMES.map((name) => `applying migration ${name}`));
    const rows = await migrationRows(db.sql);
    expect(rows).toEqual(
      MIGRATION_NAMES.map((name) => ({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        checksum: sha256OfFile(join(MIGRATIONS_DIR, name, 'migration.sql')),
        finished_at: expect.any(Date),
        migration_name: name,
        logs: null,
        rolled_back_at: null,
        started_at: expect.any(Date),
        applied_steps_count: 1,
      })),
    );
    for (const row of rows) expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    expect(await relationExists(db.sql, 'users')).toBe(true);
  });

  it('creates _prisma_migrations with the columns of Prisma Migrate', async () => {
    // As Prisma's schema engine creates it, so `prisma migrate status` on a connected machine reads our rows.
    const table = (await introspectSchema(db.sql)).filter((line) => / _prisma_migrations(\.|\s|$)/.test(line));
    expect(table).toEqual([
      'column _prisma_migrations.applied_steps_count integer NOT NULL DEFAULT 0',
      'column _prisma_migrations.checksum character varying(64) NOT NULL',
      'column _prisma_migrations.finished_at timestamp with time zone NULL',
      'column _prisma_migrations.id character varying(36) NOT NULL',
      'column _prisma_migrations.logs text NULL',
      'column _prisma_migrations.migration_name character varying(255) NOT NULL',
      'column _prisma_migrations.rolled_back_at timestamp with time zone NULL',
      'column _prisma_migrations.started_at timestamp with time zone NOT NULL DEFAULT now()',
      'primary key _prisma_migrations_pkey ON _prisma_migrations (id)',
      'table _prisma_migrations',
    ]);
  });

  it('applies nothing on a second run', async () => {
    const before = await migrationRows(db.sql);
    expect(await migrate(db.sql)).toEqual({ applied: [], alreadyApplied: MIGRATION_NAMES.length });
    expect(await migrationRows(db.sql)).toEqual(before);
  });

  it('refuses a migration edited after it was applied, and applies nothing else', async () => {
    const edited = MIGRATION_NAMES.at(-1)!;
    const dir = copyOfMigrations({ '29990101000000_after_the_edit': 'CREATE TABLE created_after_the_edit (id integer);' });
    appendFileSync(join(dir, edited, 'migration.sql'), '\nCREATE INDEX users_active_idx ON "users"("active");\n');
    const before = await migrationRows(db.sql);

    const run = migrate(db.sql, { dir });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(`migration ${edited} was edited after it was applied; add a new migration instead`);
    expect(await relationExists(db.sql, 'created_after_the_edit')).toBe(false);
    expect(await relationExists(db.sql, 'users_active_idx')).toBe(false);
    expect(await migrationRows(db.sql)).toEqual(before);
  });

  it('rolls a failing migration back completely, names it in the error, and applies it once fixed', async () => {
    const broken = '29990101000000_broken';
    // Valid statements first, so there is something to roll back when the last one fails.
    const dir = copyOfMigrations({
      [broken]: `
        CREATE TABLE partial_table (id integer PRIMARY KEY);
        INSERT INTO partial_table VALUES (1);
        ALTER TABLE "users" ADD COLUMN "nickname" TEXT;
        INSERT INTO no_such_table VALUES (1);
      `,
    });
    const before = await migrationRows(db.sql);

    const run = migrate(db.sql, { dir });
    await expect(run).rejects.toThrow(broken);
    await expect(run).rejects.toThrow('no_such_table');
    expect(await relationExists(db.sql, 'partial_table')).toBe(false);
    const nickname = await db.sql.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'`);
    expect(nickname).toEqual([]);
    expect(await migrationRows(db.sql)).toEqual(before);
    // The lock was released and the connection is usable: the shipped migrations still check out.
    const [held] = await db.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory' AND objid = $1`,
      [PRISMA_MIGRATE_LOCK],
    );
    expect(held!.count).toBe(0);
    expect(await migrate(db.sql)).toEqual({ applied: [], alreadyApplied: MIGRATION_NAMES.length });

    // Nothing was recorded as started, so the fixed migration simply applies on the next run.
    writeFileSync(join(dir, broken, 'migration.sql'), 'CREATE TABLE partial_table (id integer PRIMARY KEY);\n');
    expect(await migrate(db.sql, { dir })).toEqual({ applied: [broken], alreadyApplied: MIGRATION_NAMES.length });
    expect(await relationExists(db.sql, 'partial_table')).toBe(true);
  });
});

// PGlite has a single connection per process, so concurrent runs only exist on PostgreSQL.
describe.skipIf(testDatabaseMode() === 'embedded')('concurrent runs on PostgreSQL', () => {
  const databases: TestDatabase[] = [];
  async function freshDatabase(): Promise<TestDatabase> {
    const db = await createEmptyDatabase();
    databases.push(db);
    return db;
  }
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.destroy()));
  });

  /**
   * Holds the migration lock while `start` launches the runs, waits until `count` of them queue on it, then
   * lets them go: every run really overlaps the others instead of finishing before the next one starts.
   * Returns how many were seen waiting.
   */
  async function whileLockHeld(url: string, count: number, start: () => { gaveUp: () => boolean }): Promise<number> {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
      const { gaveUp } = start();
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { rows } = await holder.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_database d ON d.oid = l.database
           WHERE l.locktype = 'advisory' AND l.objid = $1 AND NOT l.granted AND d.datname = current_database()`,
          [PRISMA_MIGRATE_LOCK],
        );
        const waiting = rows[0]!.waiting;
        if (waiting >= count || gaveUp() || Date.now() > deadline) return waiting;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await holder.end(); // ends the session, which releases the lock
    }
  }

  async function expectEachMigrationRecordedOnce(db: TestDatabase) {
    const counts = await db.sql.query<{ migration_name: string; count: number }>(
      'SELECT migration_name, count(*)::int AS count FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name',
    );
    expect(counts).toEqual(MIGRATION_NAMES.map((migration_name) => ({ migration_name, count: 1 })));
  }

  it('several migrate() calls on separate pools all succeed and apply each migration once', { timeout: 60_000 }, async () => {
    const db = await freshDatabase();
    const pools = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ mode: 'postgres', url: db.url!, poolSize: 2 })));
    try {
      let settled: Promise<PromiseSettledResult<Awaited<ReturnType<typeof migrate>>>[]> | undefined;
      let done = false;
      const waited = await whileLockHeld(db.url!, pools.length, () => {
        settled = Promise.allSettled(pools.map((p) => migrate(p.sql))).finally(() => (done = true));
        return { gaveUp: () => done };
      });
      const outcomes = await settled!;

      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(pools.map(() => 'ok'));
      expect(waited).toBe(pools.length);
      const results = outcomes.map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof migrate>>>).value);
      // Whoever got the lock first applied everything; the others found it done.
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 0, MIGRATION_NAMES.length]);
      expect(results.find((r) => r.applied.length)?.applied).toEqual(MIGRATION_NAMES);
      for (const r of results.filter((r) => !r.applied.length)) expect(r.alreadyApplied).toBe(MIGRATION_NAMES.length);
      await expectEachMigrationRecordedOnce(db);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });

  it('three `npx tsx scripts/migrate.ts` processes at once all exit 0 and apply each migration once', { timeout: 120_000 }, async () => {
    const db = await freshDatabase();
    const env = { ...process.env, DATABASE_URL: db.url! };
    let runs: Promise<CliRun>[] = [];
    let exited = 0;
    const waited = await whileLockHeld(db.url!, 3, () => {
      runs = Array.from({ length: 3 }, () => runMigrateCli(env).finally(() => exited++));
      return { gaveUp: () => exited > 0 };
    });
    const results = await Promise.all(runs);

    const report = results.map((r) => `exit ${r.code}:\n${r.output}`).join('\n---\n');
    expect(
      results.map((r) => r.code),
      report,
    ).toEqual([0, 0, 0]);
    expect(waited).toBe(3);
    const appliedAll = `applied ${MIGRATION_NAMES.length} migration(s); 0 were already applied`;
    const upToDate = `database is up to date (${MIGRATION_NAMES.length} migration(s) applied)`;
    const outcomes = results.map((r) =>
      r.output.includes(appliedAll) ? 'applied' : r.output.includes(upToDate) ? 'up to date' : r.output,
    );
    expect(outcomes.sort(), report).toEqual(['applied', 'up to date', 'up to date']);
    await expectEachMigrationRecordedOnce(db);
  });
});

interface CliRun {
  code: number | null;
  output: string;
}

/** Runs `scripts/migrate.ts` on this Node (as `npm run db:migrate` does) with `env`; resolves when it exits. */
function runMigrateCli(env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
