// Gives each test file a database of its own: a copy of the migrated template on PostgreSQL, or a
// PGlite instance loaded from the migrated snapshot. Both are opened through src/infra/database.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/infra/database/open-database.js';
import { adminUrl } from './database-names.js';
import { withDatabase } from './global-setup.js';

export interface TestDatabase extends Database {
  /** PostgreSQL URL of this database (postgres mode only). */
  url?: string;
  /** Closes and drops the database. */
  destroy(): Promise<void>;
}

export function testDatabaseMode(): 'postgres' | 'embedded' {
  return inject('testDatabase').mode;
}

/** A migrated, empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const setup = inject('testDatabase');
  if (setup.mode === 'postgres') return createPostgresDatabase(setup.template);
  const db = await openEmbeddedFromSnapshot(setup.snapshot);
  return Object.assign(db, { destroy: () => db.close() });
}

/** An empty, unmigrated database, for migrator tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const setup = inject('testDatabase');
  if (setup.mode === 'postgres') return createPostgresDatabase(undefined);
  const db = await openDatabase({ mode: 'embedded', dir: 'memory://' });
  return Object.assign(db, { destroy: () => db.close() });
}

async function createPostgresDatabase(template: string | undefined): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL!;
  const name = `wp_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(base, async (admin) => {
    const sql = template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`;
    // Concurrent copies of one template can briefly collide; retry a few times.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(sql);
        return;
      } catch (error) {
        if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
  });
  const url = withDatabase(base, name);
  const db = await openDatabase({ mode: 'postgres', url, poolSize: 5 });
  return Object.assign(db, {
    url,
    destroy: async () => {
      await db.close();
      await withAdmin(base, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  });
}

async function openEmbeddedFromSnapshot(snapshot: string): Promise<Database> {
  // openDatabase opens a folder; for a snapshot we open PGlite in memory from the dump, through the same code.
  return openDatabase({ mode: 'embedded', dir: 'memory://', loadDataDir: new Blob([readFileSync(snapshot)]) });
}

async function withAdmin<T>(url: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
