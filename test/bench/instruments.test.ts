// The benchmark's own instruments, so its numbers can be trusted: the wire counter counts exactly the
// statements that reach PostgreSQL (whatever the protocol, however the bytes are split), and the export
// row counter is not fooled by line breaks inside quoted CSV fields.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecordCounter } from '../../bench/export-scenario.js';
import { startStatementCounter, type StatementCounter } from '../../bench/statement-counts.js';
import { createTestDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';

describe('CSV record counter', () => {
  it('counts records, not line breaks inside quoted fields, across chunk boundaries', () => {
    const csv = '\ufeffid,text\r\n1,"two\r\nlines"\r\n2,"a ""quoted"", comma"\r\n3,plain\r\n';
    const bytes = new TextEncoder().encode(csv);
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const counter = csvRecordCounter();
      for (let i = 0; i < bytes.length; i += size) counter.add(bytes.subarray(i, i + size));
      expect(counter.records(), `chunks of ${size} bytes`).toBe(4); // the header and three rows
    }
  });
});

describe.runIf(testDatabaseMode() === 'postgres')('statement counter on the wire (PostgreSQL)', () => {
  let db: TestDatabase;
  let counter: StatementCounter;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    counter = await startStatementCounter(db.url!);
    client = new pg.Client({ connectionString: counter.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await counter?.close();
    await db?.destroy();
  });

  async function counted(run: () => Promise<unknown>): Promise<number> {
    const before = counter.statements();
    await run();
    return counter.statements() - before;
  }

  it('counts simple, extended and prepared statements once each, and passes their answers through', async () => {
    expect(await counted(() => client.query('SELECT 1'))).toBe(1);
    expect(await counted(async () => expect((await client.query('SELECT $1::int AS n', [41])).rows).toEqual([{ n: 41 }]))).toBe(1);
    const prepared = { name: 'counter-test', text: 'SELECT $1::text AS t', values: ['x'] };
    expect(
      await counted(async () => {
        await client.query(prepared);
        await client.query(prepared);
      }),
    ).toBe(2);
  });

  it('counts a statement whose message spans many network chunks once', async () => {
    const big = 'x'.repeat(300_000);
    expect(
      await counted(async () => expect((await client.query('SELECT length($1::text) AS n', [big])).rows).toEqual([{ n: 300_000 }])),
    ).toBe(1);
    expect(await counted(() => client.query(`SELECT '${big}' AS t`))).toBe(1);
  });

  it('counts statements of concurrent connections', async () => {
    const pool = new pg.Pool({ connectionString: counter.url, max: 4 });
    try {
      expect(await counted(() => Promise.all(Array.from({ length: 12 }, (_, i) => pool.query('SELECT $1::int', [i]))))).toBe(12);
    } finally {
      await pool.end();
    }
  });
});
