// The User type, its relations, the `users` connection and `me`.
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { RoleEnum, OrderDirection } from './enums.js';
import { ForbiddenError, UserInputError } from './errors.js';
import type { GraphQLContext } from './context.js';
import { countryCodeProblem, parseCountryCode } from '../domain/country-code.js';
import { readsEverything, seesFullProfile, type Viewer } from '../domain/viewer.js';
import { directReportsVisibleTo, reportsVisibleTo, schedulesVisibleTo, searchesEmails, usersVisibleTo } from '../services/visibility.js';
import { countedConnection, resolveKeysetConnection } from './pagination/connection-fields.js';
import type { KeysetOrder } from './pagination/keyset.js';
import { checkedMaxPageSize, KEYSET_PAGES } from './pagination/page-args.js';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { requestLoader } from './request-loaders.js';
import { WeeklyReport } from './weekly-report.js';
import { signedInViewer } from './global-ids.js';
import { STRING_BOUNDS } from './input-guard.js';

/** Fields outside the public profile resolve to null for viewers who may not see them (never an error). */
const PRIVATE = 'Null unless you are this user, their manager, an ANALYST or an ADMIN.';

export const User = builder.prismaNode('User', {
  id: { field: 'id' },
  nullable: true,
  // managerId decides who sees the full profile, so every user row carries it.
  select: { id: true, managerId: true },
  fields: (t) => {
    const fullProfileOnly = {
      authScopes: (user: { id: number; managerId: number | null }, _args: object, ctx: GraphQLContext) => seesFullProfile(ctx.viewer, user),
      unauthorizedResolver: () => null,
    };
    return {
      name: t.exposeString('name'),
      role: t.expose('role', { type: RoleEnum }),
      city: t.exposeString('city'),
      country: t.exposeString('country', { description: 'ISO 3166-1 alpha-2 country code.' }),
      email: t.exposeString('email', { nullable: true, description: PRIVATE, ...fullProfileOnly }),
      active: t.exposeBoolean('active', { nullable: true, description: PRIVATE, ...fullProfileOnly }),
      createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true, description: PRIVATE, ...fullProfileOnly }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true, description: PRIVATE, ...fullProfileOnly }),
      manager: t.relation('manager', { nullable: true, description: PRIVATE, ...fullProfileOnly }),
      directReports: t.relatedConnection('directReports', {
        description: 'People who report to this user (empty unless you may see their full profile).',
        cursor: 'id',
        totalCount: true,
        maxSize: checkedMaxPageSize,
        query: (_args, ctx) => ({ where: directReportsVisibleTo(ctx.viewer), orderBy: { id: 'asc' } }),
      }),
      reports: t.relatedConnection('reports', {
        description: "The user's weekly reports, newest week first (only those you may read).",
        cursor: 'id',
        totalCount: true,
        maxSize: checkedMaxPageSize,
        query: (_args, ctx) => ({ where: reportsVisibleTo(ctx.viewer), orderBy: [{ week: 'desc' }, { id: 'desc' }] }),
      }),
      workSchedules: t.relatedConnection('workSchedules', {
        description: "The user's work schedules, latest date first (only those you may read).",
        cursor: 'id',
        totalCount: true,
        maxSize: checkedMaxPageSize,
        query: (_args, ctx) => ({ where: schedulesVisibleTo(ctx.viewer), orderBy: [{ date: 'desc' }, { id: 'desc' }] }),
      }),
      latestReport: t.field({
        ...fullProfileOnly,
        type: WeeklyReport,
        nullable: true,
        description: "The user's most recent weekly report (batched: one statement per page of users).",
        resolve: (user, _args, ctx, info) => {
          const query = queryFromInfo({ context: ctx, info }) as { select?: Prisma.WeeklyReportSelect };
          const select = query.select ?? { id: true };
          return requestLoader<number, unknown>(ctx, `User.latestReport:${JSON.stringify(select)}`, async (userIds) => {
            // One statement: a LATERAL join takes each user's newest report through (user_id, week).
            const users = await ctx.prisma.user.findMany({
              where: { id: { in: [...userIds] } },
              select: { id: true, reports: { select, orderBy: [{ week: 'desc' }], take: 1 } },
              relationLoadStrategy: 'join',
            });
            const latest = new Map(users.map((u) => [u.id, u.reports[0] ?? null]));
            return userIds.map((id) => latest.get(id) ?? null);
          }).load(user.id) as never;
        },
      }),
    };
  },
});

const UserOrderField = builder.enumType('UserOrderField', {
  description: 'CREATED_AT is for ANALYST and ADMIN (creation times are private).',
  values: { NAME: { value: 'name' }, CREATED_AT: { value: 'createdAt' } } as const,
});

const UserOrder = builder.inputType('UserOrder', {
  fields: (t) => ({
    field: t.field({ type: UserOrderField, required: true }),
    direction: t.field({ type: OrderDirection, required: true, defaultValue: 'asc' }),
  }),
});

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({
    city: t.string({ ...STRING_BOUNDS.city }),
    country: t.string({ description: 'ISO 3166-1 alpha-2 code, e.g. "DE".', ...STRING_BOUNDS.country }),
    role: t.field({ type: RoleEnum }),
    search: t.string({
      description: 'Case-insensitive substring of the name (and of the email, for ANALYST and ADMIN); 2-100 characters.',
      ...STRING_BOUNDS.search,
    }),
  }),
});

type UserFilterInput = typeof UserFilter.$inferInput;

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
function likeLiteral(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function userWhere(filter: UserFilterInput | null | undefined, viewer: Viewer): Prisma.UserWhereInput {
  if (!filter) return {};
  const where: Prisma.UserWhereInput = {};
  if (filter.city != null) where.city = filter.city;
  if (filter.country != null) {
    const country = parseCountryCode(filter.country);
    if (country === null) throw new UserInputError(countryCodeProblem('country'));
    where.country = country;
  }
  if (filter.role != null) where.role = filter.role;
  if (filter.search != null) {
    const term = filter.search.trim();
    if (term.length < 2 || term.length > 100) throw new UserInputError('search must be 2 to 100 characters');
    const contains = likeLiteral(term);
    // Matching emails would let anyone probe addresses they may not read.
    where.OR = [
      { name: { contains, mode: 'insensitive' } },
      ...(searchesEmails(viewer) ? [{ email: { contains, mode: 'insensitive' as const } }] : []),
    ];
  }
  return where;
}

function isUnfiltered(filter: object | null | undefined): boolean {
  return !filter || Object.values(filter).every((v) => v == null);
}

const USER_ORDERS: Record<'name' | 'createdAt', Record<'asc' | 'desc', KeysetOrder>> = {
  name: {
    asc: [
      { field: 'name', direction: 'asc', type: 'string' },
      { field: 'id', direction: 'asc', type: 'int' },
    ],
    desc: [
      { field: 'name', direction: 'desc', type: 'string' },
      { field: 'id', direction: 'desc', type: 'int' },
    ],
  },
  createdAt: {
    asc: [
      { field: 'createdAt', direction: 'asc', type: 'date' },
      { field: 'id', direction: 'asc', type: 'int' },
    ],
    desc: [
      { field: 'createdAt', direction: 'desc', type: 'date' },
      { field: 'id', direction: 'desc', type: 'int' },
    ],
  },
};

builder.queryField('users', (t) =>
  t.connection(
    {
      type: User,
      description: `Users, filtered and ordered; ${KEYSET_PAGES}.`,
      args: {
        filter: t.arg({ type: UserFilter }),
        orderBy: t.arg({ type: UserOrder, defaultValue: { field: 'name', direction: 'asc' } }),
      },
      resolve: (_root, args, ctx, info) => {
        const { field, direction } = args.orderBy ?? { field: 'name', direction: 'asc' };
        // createdAt is private: its order (and the cursors, which carry it) would reveal it.
        if (field === 'createdAt' && !readsEverything(ctx.viewer)) {
          throw new ForbiddenError('Ordering by CREATED_AT is for ANALYST and ADMIN.');
        }
        return resolveKeysetConnection({
          ctx,
          info,
          args,
          typeName: 'User',
          order: USER_ORDERS[field][direction],
          where: { AND: [userWhere(args.filter, ctx.viewer), usersVisibleTo(ctx.viewer)] },
          findMany: (query) => ctx.prisma.user.findMany(query),
          count: (where) => ctx.prisma.user.count({ where }),
          // Every signed-in viewer sees every (public) profile: an unfiltered list is the whole table.
          estimateTable: isUnfiltered(args.filter) && ctx.viewer.kind === 'user' ? 'users' : undefined,
        });
      },
    },
    countedConnection('User'),
    { name: 'UserEdge' },
  ),
);

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    description: 'The signed-in user (full profile).',
    authScopes: { signedIn: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: signedInViewer(ctx).id } }),
  }),
);
