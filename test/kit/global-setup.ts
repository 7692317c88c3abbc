// Prepares one migrated template once per test run: a PostgreSQL template database (DATABASE_URL set),
// or a PGlite data-dir snapshot (embedded). Each test file then gets its own copy (test/kit/database.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { migrate } from '../../src/infra/database/migrator.js';
import { pgliteSqlClient, pgSqlClient } from '../../src/infra/database/sql-client.js';
import { adminUrl, requiredMode, templateName } from './database-names.js';

export default async function setup(project: TestProject) {
  // CI names the Node it installed: a run that fell back to the machine's own node must not pass.
  const node = process.env.CI_NODE_VERSION;
  if (node && process.version !== node) throw new Error(`CI_NODE_VERSION is ${node} but the tests run on Node ${process.version}`);
  const url = process.env.DATABASE_URL;
  const required = requiredMode();
  if (required === 'postgres' && !url) {
    throw new Error('TEST_DATABASE=postgres (or CI=true) but DATABASE_URL is not set: refusing to skip the PostgreSQL suite');
  }
  if (url) {
    const template = templateName();
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${template}"`);
    await admin.end();
    const pool = new pg.Pool({ connectionString: withDatabase(url, template), max: 1 });
    await migrate(pgSqlClient(pool));
    await pool.end();
    project.provide('testDatabase', { mode: 'postgres', template });
    return async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl(url) });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
      await cleanup.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'wp-test-'));
  const snapshot = join(dir, 'migrated.tar');
  const db = await PGlite.create({ extensions: { pg_trgm } });
  await migrate(pgliteSqlClient(db));
  const dump = await db.dumpDataDir('none');
  writeFileSync(snapshot, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('testDatabase', { mode: 'embedded', snapshot });
  return () => rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: { mode: 'postgres'; template: string } | { mode: 'embedded'; snapshot: string };
  }
}
