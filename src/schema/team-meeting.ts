// The TeamMeeting type, its attendees, and the `teamMeetings` connection.
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { UserInputError } from './errors.js';
import { countedConnection, resolveKeysetConnection } from './pagination/connection-fields.js';
import type { KeysetOrder } from './pagination/keyset.js';
import { checkedMaxPageSize, parsePageArgs } from './pagination/page-args.js';
import { DateTimeScalar } from './scalars.js';
import { meetingsVisibleTo } from '../services/visibility.js';

export const TeamMeeting = builder.prismaNode('TeamMeeting', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), AND: [meetingsVisibleTo(ctx.viewer)] }),
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
      resolve: (_root, args, ctx, info) =>
        resolveKeysetConnection({
          ctx,
          info,
          args,
          typeName: 'TeamMeeting',
          order: MEETING_ORDER,
          where: { AND: [teamMeetingWhere(args.filter), meetingsVisibleTo(ctx.viewer)] },
          findMany: (query) => ctx.prisma.teamMeeting.findMany(query),
          count: (where) => ctx.prisma.teamMeeting.count({ where }),
        }),
    },
    countedConnection('TeamMeeting'),
    { name: 'TeamMeetingEdge' },
  ),
);
