// The hardware limit: node:http and `pg` with named prepared statements that build the response JSON in
// PostgreSQL (json_agg) and send its text untouched, and a cache-hit endpoint that answers a value
// straight from Redis. No GraphQL, no auth, no ORM: what is left is the database, the wire and Node's HTTP.
import { createServer, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import pg from 'pg';

const { DATABASE_URL, PORT, REDIS_URL } = process.env;
if (!DATABASE_URL || !PORT) throw new Error('limit contender: set DATABASE_URL and PORT (REDIS_URL for /redis)');

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
pool.on('error', () => {});
const redis = REDIS_URL ? new Redis(REDIS_URL, { lazyConnect: false }) : undefined;

const globalId = (type: string, column: string) => `encode(convert_to('${type}:' || ${column}, 'UTF8'), 'base64')`;

// (a) users(first: $1) { edges { node { id name email city country } } pageInfo { hasNextPage endCursor } }
const USERS_PAGE = `
WITH page AS (SELECT id, name, email, city, country FROM users ORDER BY name, id LIMIT $1::int + 1),
     shown AS (SELECT * FROM page ORDER BY name, id LIMIT $1::int)
SELECT json_build_object('data', json_build_object('users', json_build_object(
  'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object(
              'id', ${globalId('User', 's.id')}, 'name', s.name, 'email', s.email, 'city', s.city, 'country', s.country))
            ORDER BY s.name, s.id), '[]') FROM shown s),
  'pageInfo', json_build_object(
    'hasNextPage', (SELECT count(*) FROM page) > $1::int,
    'endCursor', (SELECT encode(convert_to(json_build_array(s.name, s.id)::text, 'UTF8'), 'base64')
                  FROM shown s ORDER BY s.name DESC, s.id DESC LIMIT 1)))))::text AS body`;

const METRICS = `
  'hrMetrics', CASE WHEN h.report_id IS NULL THEN NULL ELSE json_build_object(
    'interviews', h.interviews, 'offers', h.offers, 'hires', h.hires, 'attritions', h.attritions) END,
  'opsMetrics', CASE WHEN o.report_id IS NULL THEN NULL ELSE json_build_object(
    'ordersProcessed', o.orders_processed, 'tasksCompleted', o.tasks_completed,
    'incidents', o.incidents, 'slaBreaches', o.sla_breaches) END`;

// (b) users(first: $1) { edges { node { name reports(first: $2) { edges { node {
//       week stressLevel hrMetrics { ... } opsMetrics { ... } } } } } } }
const NESTED_PAGE = `
WITH page AS (SELECT id, name FROM users ORDER BY name, id LIMIT $1::int)
SELECT json_build_object('data', json_build_object('users', json_build_object('edges',
  coalesce(json_agg(json_build_object('node', json_build_object('name', p.name, 'reports', json_build_object('edges', r.edges)))
           ORDER BY p.name, p.id), '[]'))))::text AS body
FROM page p
CROSS JOIN LATERAL (
  SELECT coalesce(json_agg(json_build_object('node', json_build_object('week', w.week, 'stressLevel', w.stress_level, ${METRICS}))
                  ORDER BY w.week DESC, w.id DESC), '[]') AS edges
  FROM (SELECT id, week, stress_level FROM weekly_reports WHERE user_id = p.id ORDER BY week DESC, id DESC LIMIT $2::int) w
  LEFT JOIN hr_metrics h ON h.report_id = w.id
  LEFT JOIN ops_metrics o ON o.report_id = w.id) r`;

// (c) weeklyReports(first: $1, after) { edges { node { id week workdays stressLevel user { name } } }
//       pageInfo { hasNextPage endCursor } }, newest week first; the cursor is (week, id).
const reportsPage = (after: string) => `
WITH page AS (SELECT id, week, workdays, stress_level, user_id FROM weekly_reports ${after}
              ORDER BY week DESC, id DESC LIMIT $1::int + 1),
     shown AS (SELECT * FROM page ORDER BY week DESC, id DESC LIMIT $1::int)
SELECT json_build_object('data', json_build_object('weeklyReports', json_build_object(
  'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object(
              'id', ${globalId('WeeklyReport', 's.id')}, 'week', s.week, 'workdays', s.workdays, 'stressLevel', s.stress_level,
              'user', json_build_object('name', u.name)))
            ORDER BY s.week DESC, s.id DESC), '[]') FROM shown s JOIN users u ON u.id = s.user_id),
  'pageInfo', json_build_object(
    'hasNextPage', (SELECT count(*) FROM page) > $1::int,
    'endCursor', (SELECT encode(convert_to(json_build_array(s.week, s.id)::text, 'UTF8'), 'base64')
                  FROM shown s ORDER BY s.week, s.id LIMIT 1)))))::text AS body`;

const STATEMENTS = {
  users: { name: 'limit-users', text: USERS_PAGE },
  nested: { name: 'limit-nested', text: NESTED_PAGE },
  reports: { name: 'limit-reports', text: reportsPage('') },
  reportsAfter: { name: 'limit-reports-after', text: reportsPage('WHERE (week, id) < ($2::varchar, $3::int)') },
};

function send(res: ServerResponse, status: number, body: string | Buffer) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function run(statement: { name: string; text: string }, values: unknown[]): Promise<string> {
  const result = await pool.query<{ body: string }>({ ...statement, values });
  return result.rows[0]!.body;
}

const intParam = (params: URLSearchParams, name: string, fallback: number, max = 1000) => {
  const value = Number(params.get(name) ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new RangeError(`${name} must be 1..${max}`);
  return value;
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://limit');
  const params = url.searchParams;
  const answer = async (): Promise<string | Buffer | null> => {
    switch (url.pathname) {
      case '/readyz':
        await pool.query('SELECT 1');
        return '{"ready":true}';
      case '/users':
        return run(STATEMENTS.users, [intParam(params, 'first', 50)]);
      case '/nested':
        return run(STATEMENTS.nested, [intParam(params, 'first', 20), intParam(params, 'reports', 4)]);
      case '/reports': {
        const week = params.get('week');
        return week
          ? run(STATEMENTS.reportsAfter, [intParam(params, 'first', 20), week, intParam(params, 'id', 1, 2 ** 31 - 1)])
          : run(STATEMENTS.reports, [intParam(params, 'first', 20)]);
      }
      case '/typename':
        // Scenario (h): a GraphQL-shaped answer to a POST whose body is read and not looked at.
        for await (const _chunk of req);
        return '{"data":{"__typename":"Query"}}';
      case '/redis': {
        if (!redis) throw new Error('REDIS_URL is not set');
        return redis.getBuffer(params.get('key') ?? '');
      }
      default:
        return null;
    }
  };
  answer().then(
    (body) => (body === null ? send(res, 404, '{"error":"not found"}') : send(res, 200, body)),
    (error: unknown) => send(res, error instanceof RangeError ? 400 : 500, JSON.stringify({ error: String(error) })),
  );
});
server.listen(Number(PORT), '127.0.0.1');
