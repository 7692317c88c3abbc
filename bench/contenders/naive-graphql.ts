// The old approach's GraphQL, rebuilt as the baseline: the same query shapes as weekly-pulse (Relay
// connections), written the way a first GraphQL server usually is: SDL plus resolvers that query per parent
// (N+1), whole rows, OFFSET pagination behind graphql-relay style "arrayconnection:N" cursors, a COUNT for
// hasNextPage. Same Yoga, ORM, database and pool size as ours. Prisma still batches `findUnique` calls made
// in the same tick (its documented behaviour); that is left in, since a naive server gets it for free.
import { createServer } from 'node:http';
import { PrismaPg } from '@prisma/adapter-pg';
import { createSchema, createYoga } from 'graphql-yoga';
import pg from 'pg';
import { PrismaClient } from '../../src/generated/prisma/client.js';

const { DATABASE_URL, PORT } = process.env;
if (!DATABASE_URL || !PORT) throw new Error('naive-graphql contender: set DATABASE_URL and PORT');

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
pool.on('error', () => {});
const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

const typeDefs = /* GraphQL */ `
  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type HrMetrics { interviews: Int! offers: Int! hires: Int! attritions: Int! }
  type OpsMetrics { ordersProcessed: Int! tasksCompleted: Int! incidents: Int! slaBreaches: Int! }
  type User {
    id: ID! name: String! email: String role: String! city: String! country: String!
    reports(first: Int, after: String): WeeklyReportConnection!
  }
  type WeeklyReport {
    id: ID! week: String! workdays: Int! stressLevel: Int! highlights: String! blockers: String
    user: User! hrMetrics: HrMetrics opsMetrics: OpsMetrics
  }
  type UserEdge { cursor: String! node: User! }
  type UserConnection { edges: [UserEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type WeeklyReportEdge { cursor: String! node: WeeklyReport! }
  type WeeklyReportConnection { edges: [WeeklyReportEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type Query {
    users(first: Int, after: String): UserConnection!
    weeklyReports(first: Int, after: String): WeeklyReportConnection!
  }
`;

const toCursor = (offset: number) => Buffer.from(`arrayconnection:${offset}`).toString('base64');
const fromCursor = (cursor: string | null | undefined) => (cursor ? Number(Buffer.from(cursor, 'base64').toString().split(':')[1]) + 1 : 0);
const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** A connection over OFFSET: the rows of the page, and a COUNT of everything for the page info. */
async function offsetConnection<T>(args: PageArgs, rows: (skip: number, take: number) => Promise<T[]>, count: () => Promise<number>) {
  const skip = fromCursor(args.after);
  const take = Math.min(args.first ?? 20, 100);
  const nodes = await rows(skip, take);
  return {
    edges: nodes.map((node, i) => ({ cursor: toCursor(skip + i), node })),
    totalCount: count,
    pageInfo: async () => ({
      hasNextPage: skip + take < (await count()),
      hasPreviousPage: skip > 0,
      startCursor: nodes.length ? toCursor(skip) : null,
      endCursor: nodes.length ? toCursor(skip + nodes.length - 1) : null,
    }),
  };
}

const REPORT_ORDER = [{ week: 'desc' as const }, { id: 'desc' as const }];

const schema = createSchema({
  typeDefs,
  resolvers: {
    Query: {
      users: (_: unknown, args: PageArgs) =>
        offsetConnection(
          args,
          (skip, take) => prisma.user.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }], skip, take }),
          () => prisma.user.count(),
        ),
      weeklyReports: (_: unknown, args: PageArgs) =>
        offsetConnection(
          args,
          (skip, take) => prisma.weeklyReport.findMany({ orderBy: REPORT_ORDER, skip, take }),
          () => prisma.weeklyReport.count(),
        ),
    },
    User: {
      id: (user: { id: number }) => globalId('User', user.id),
      reports: (user: { id: number }, args: PageArgs) =>
        offsetConnection(
          args,
          (skip, take) => prisma.weeklyReport.findMany({ where: { userId: user.id }, orderBy: REPORT_ORDER, skip, take }),
          () => prisma.weeklyReport.count({ where: { userId: user.id } }),
        ),
    },
    WeeklyReport: {
      id: (report: { id: number }) => globalId('WeeklyReport', report.id),
      user: (report: { userId: number }) => prisma.user.findUnique({ where: { id: report.userId } }),
      hrMetrics: (report: { id: number }) => prisma.hrMetrics.findUnique({ where: { reportId: report.id } }),
      opsMetrics: (report: { id: number }) => prisma.opsMetrics.findUnique({ where: { reportId: report.id } }),
    },
  },
});

const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', graphiql: false, landingPage: false, logging: 'warn' });
createServer(yoga).listen(Number(PORT), '127.0.0.1');
