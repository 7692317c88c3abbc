// The TeamMeeting type, its attendees, and the `teamMeetings` connection.
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { UserInputError } from './errors.js';
import { nodeSelection, TOTAL_COUNT_DESCRIPTION, type CountedConnection } from './pagination/connection-fields.js';
import { paginate, type KeysetOrder } from './pagination/keyset.js';
import { checkedMaxPageSize, parsePageArgs } from './pagination/page-args.js';
import { DateTimeScalar } from './scalars.js';

export const TeamMeeting = builder.prismaNode('TeamMeeting', {
  id: { field: 'id' },
  nullable: true,
  select: { id: true },
  fields: (t) => ({
    title: t.exposeString('title'),
    startsAt: t.expose('startsAt', { type: DateTimeScalar }),
    durationMinutes: t.exposeInt('durationMinutes'),
    city: t.exposeString('city'),
    createdAt: t.expose('createdAt', { type: DateTimeScalar }),
    organizer: t.relation('organizer'),
    attendees: t.relatedConnection('attendees', {
      cursor: 'id',
      totalCount: true,
      maxSize: checkedMaxPageSize,
      query: { orderBy: { id: 'asc' } },
    }),
  }),
});

const TeamMeetingFilter = builder.inputType('TeamMeetingFilter', {
  fields: (t) => ({
    city: t.string(),
    startsAfter: t.field({ type: DateTimeScalar, description: 'Only meetings starting at or after this time.' }),
    startsBefore: t.field({ type: DateTimeScalar, description: 'Only meetings starting before this time.' }),
  }),
});

function teamMeetingWhere(filter: typeof TeamMeetingFilter.$inferInput | null | undefined): Prisma.TeamMeetingWhereInput {
  if (!filter) return {};
  const { city, startsAfter, startsBefore } = filter;
  if (startsAfter != null && startsBefore != null && startsAfter >= startsBefore) {
    throw new UserInputError('startsAfter must be before startsBefore');
  }
  return {
    ...(city != null ? { city } : {}),
    ...(startsAfter != null || startsBefore != null
      ? { startsAt: { ...(startsAfter != null ? { gte: startsAfter } : {}), ...(startsBefore != null ? { lt: startsBefore } : {}) } }
      : {}),
  };
}

const MEETING_ORDER: KeysetOrder = [
  { field: 'startsAt', direction: 'asc', type: 'date' },
  { field: 'id', direction: 'asc', type: 'int' },
];

builder.queryField('teamMeetings', (t) =>
  t.connection(
    {
      type: TeamMeeting,
      description: 'Team meetings in start order; keyset-paginated (default 20, at most 100 per page).',
      args: { filter: t.arg({ type: TeamMeetingFilter }) },
      resolve: async (_root, args, ctx, info): Promise<CountedConnection<never>> => {
        const page = parsePageArgs(args);
        const where = teamMeetingWhere(args.filter);
        const { select } = nodeSelection(ctx, info, 'TeamMeeting', MEETING_ORDER);
        const connection = await paginate(MEETING_ORDER, page, (q) =>
          ctx.prisma.teamMeeting.findMany({
            select,
            where: q.where ? { AND: [where, q.where] } : where,
            orderBy: q.orderBy,
            take: q.take,
          }),
        );
        return { ...connection, totalCount: () => ctx.prisma.teamMeeting.count({ where }) } as CountedConnection<never>;
      },
    },
    {
      name: 'TeamMeetingConnection',
      fields: (t) => ({
        totalCount: t.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (connection) => (connection as unknown as CountedConnection<unknown>).totalCount(),
        }),
      }),
    },
    { name: 'TeamMeetingEdge' },
  ),
);
