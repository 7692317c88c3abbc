// The old approach, rebuilt as the baseline: REST handlers in the style of the old app's scaling plan
// (docs in ../shared/context), i.e. Prisma `findMany` with wide `include`s, no pagination, aggregation and
// CSV built in JavaScript, the whole answer serialised at once. Same ORM, database and pool size as ours;
// Prisma's relation loading as the old app had it (one query per relation, no joins preview).
import { createServer, type ServerResponse } from 'node:http';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { previousWeek } from '../../src/domain/iso-week.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';

const { DATABASE_URL, PORT } = process.env;
if (!DATABASE_URL || !PORT) throw new Error('rest-old contender: set DATABASE_URL and PORT');

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
pool.on('error', () => {});
const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** GET /api/users: every user with every report (and its metrics) and schedule, as the old list did. */
async function users() {
  const rows = await prisma.user.findMany({
    include: { reports: { include: { hrMetrics: true, opsMetrics: true } }, workSchedules: true },
    relationLoadStrategy: 'query',
  });
  return JSON.stringify(rows);
}

type Report = Awaited<ReturnType<typeof reportsOfWeeks>>[number];

function reportsOfWeeks(weeks: string[]) {
  return prisma.weeklyReport.findMany({
    where: { week: { in: weeks } },
    include: { user: true, hrMetrics: true, opsMetrics: true },
    relationLoadStrategy: 'query',
  });
}

function figures(reports: Report[], activeUsers: number) {
  const n = reports.length;
  const sum = (pick: (r: Report) => number) => reports.reduce((s, r) => s + pick(r), 0);
  const distribution = Array<number>(10).fill(0);
  for (const r of reports) distribution[r.stressLevel - 1]! += 1;
  return {
    reportsSubmitted: n,
    activeUsers,
    submissionRate: activeUsers ? Math.round((n / activeUsers) * 10_000) / 10_000 : 0,
    averageStress: n ? Math.round((sum((r) => r.stressLevel) / n) * 100) / 100 : null,
    stressDistribution: distribution,
    averageWorkdays: n ? Math.round((sum((r) => r.workdays) / n) * 100) / 100 : null,
    hr: {
      interviews: sum((r) => r.hrMetrics?.interviews ?? 0),
      offers: sum((r) => r.hrMetrics?.offers ?? 0),
      hires: sum((r) => r.hrMetrics?.hires ?? 0),
      attritions: sum((r) => r.hrMetrics?.attritions ?? 0),
    },
    ops: {
      ordersProcessed: sum((r) => r.opsMetrics?.ordersProcessed ?? 0),
      tasksCompleted: sum((r) => r.opsMetrics?.tasksCompleted ?? 0),
      incidents: sum((r) => r.opsMetrics?.incidents ?? 0),
      slaBreaches: sum((r) => r.opsMetrics?.slaBreaches ?? 0),
    },
  };
}

/** GET /api/dashboard-stats?week=: the week's and the previous week's reports with their authors, summed in JS. */
async function dashboardStats(week: string) {
  const previous = previousWeek(week);
  const [reports, people] = await Promise.all([reportsOfWeeks([week, previous]), prisma.user.findMany({ where: { active: true } })]);
  const current = reports.filter((r) => r.week === week);
  const breakdown = (key: (u: { country: string; city: string; role: string }) => string) => {
    const groups = new Map<string, { reports: Report[]; people: number }>();
    const group = (k: string) => groups.get(k) ?? groups.set(k, { reports: [], people: 0 }).get(k)!;
    for (const p of people) group(key(p)).people += 1;
    for (const r of current) group(key(r.user)).reports.push(r);
    return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => ({ key: k, figures: figures(g.reports, g.people) }));
  };
  return JSON.stringify({
    week,
    previousWeek: previous,
    current: figures(current, people.length),
    previous: figures(
      reports.filter((r) => r.week === previous),
      people.length,
    ),
    byCountry: breakdown((u) => u.country),
    byCity: breakdown((u) => u.city),
    byRole: breakdown((u) => u.role),
  });
}

const csvField = (value: unknown) => {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** GET /api/export: every report with its author and metrics, the CSV built in memory, then sent. */
async function exportCsv() {
  const reports = await prisma.weeklyReport.findMany({
    include: { user: true, hrMetrics: true, opsMetrics: true },
    orderBy: [{ week: 'asc' }, { id: 'asc' }],
    relationLoadStrategy: 'query',
  });
  const lines = [
    'report_id,week,user_id,name,email,role,country,city,workdays,stress_level,highlights,blockers,interviews,offers,hires,attritions,orders_processed,tasks_completed,incidents,sla_breaches,submitted_at',
  ];
  for (const r of reports) {
    const h = r.hrMetrics;
    const o = r.opsMetrics;
    lines.push(
      [
        r.id,
        r.week,
        r.user.id,
        r.user.name,
        r.user.email,
        r.user.role,
        r.user.country,
        r.user.city,
        r.workdays,
        r.stressLevel,
        r.highlights,
        r.blockers,
        h?.interviews,
        h?.offers,
        h?.hires,
        h?.attritions,
        o?.ordersProcessed,
        o?.tasksCompleted,
        o?.incidents,
        o?.slaBreaches,
        r.submittedAt,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://rest-old');
  const answer = async () => {
    switch (url.pathname) {
      case '/readyz':
        await prisma.$queryRaw`SELECT 1`;
        return send(res, 200, '{"ready":true}');
      case '/api/users':
        return send(res, 200, await users());
      case '/api/dashboard-stats':
        return send(res, 200, await dashboardStats(url.searchParams.get('week') ?? ''));
      case '/api/export':
        return send(res, 200, await exportCsv(), 'text/csv; charset=utf-8');
      default:
        return send(res, 404, '{"error":"not found"}');
    }
  };
  answer().catch((error: unknown) => send(res, 500, JSON.stringify({ error: String(error) })));
});
server.listen(Number(PORT), '127.0.0.1');
