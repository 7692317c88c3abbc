// The TeamMeeting type, its attendees, the `teamMeetings` connection, and the meeting mutations.
import type { Prisma } from '../generated/prisma/client.js';
import { createTeamMeeting } from '../services/create-team-meeting.js';
import { updateTeamMeetingAttendance } from '../services/update-team-meeting-attendance.js';
import { builder } from './builder.js';
import { cachedEntity } from './cache-entities.js';
import { idOf, idsOf, signedInViewer } from './global-ids.js';
import { UserInputError } from './errors.js';
import { STRING_BOUNDS } from './input-guard.js';
import { countedConnection, resolveKeysetConnection } from './pagination/connection-fields.js';
import type { KeysetOrder } from './pagination/keyset.js';
import { checkedMaxPageSize, KEYSET_PAGES } from './pagination/page-args.js';
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
    city: t.string({ ...STRING_BOUNDS.city }),
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
      description: `Team meetings in start order; ${KEYSET_PAGES}.`,
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

/** A meeting write changes the meeting and who sees it in their `teamMeetings` lists. */
function meetingChanged(meetingId: number) {
  return [cachedEntity('TeamMeeting', meetingId), { typename: 'Query.teamMeetings' }];
}

const TeamMeetingPayload = builder.objectRef<{ meetingId: number }>('TeamMeetingPayload').implement({
  fields: (t) => ({
    teamMeeting: t.prismaField({
      type: 'TeamMeeting',
      resolve: (query, payload, _args, ctx) => ctx.prisma.teamMeeting.findUniqueOrThrow({ ...query, where: { id: payload.meetingId } }),
    }),
  }),
});

const CreateTeamMeetingInput = builder.inputType('CreateTeamMeetingInput', {
  fields: (t) => ({
    title: t.string({ required: true, description: '1..200 characters.', ...STRING_BOUNDS.meetingTitle }),
    startsAt: t.field({ type: DateTimeScalar, required: true }),
    durationMinutes: t.int({ required: true, description: '1..1440' }),
    city: t.string({ required: true, ...STRING_BOUNDS.city }),
    attendeeIds: t.globalIDList({ required: true, defaultValue: [], description: 'Active users, at most 200.' }),
  }),
});

const UpdateTeamMeetingAttendanceInput = builder.inputType('UpdateTeamMeetingAttendanceInput', {
  fields: (t) => ({
    meetingId: t.globalID({ required: true }),
    add: t.globalIDList({ required: true, defaultValue: [] }),
    remove: t.globalIDList({ required: true, defaultValue: [] }),
  }),
});

builder.mutationFields((t) => ({
  createTeamMeeting: t.field({
    type: TeamMeetingPayload,
    description: 'Creates a meeting you organise (MANAGER, ADMIN).',
    authScopes: { role: ['MANAGER', 'ADMIN'] },
    args: { input: t.arg({ type: CreateTeamMeetingInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const meetingId = await createTeamMeeting({
        prisma: ctx.prisma,
        viewer: signedInViewer(ctx),
        input: { ...input, attendeeIds: idsOf(input.attendeeIds, 'User', 'input.attendeeIds') },
      });
      await ctx.cache.invalidate(meetingChanged(meetingId));
      return { meetingId };
    },
  }),
  updateTeamMeetingAttendance: t.field({
    type: TeamMeetingPayload,
    description: 'Adds and removes attendees of a meeting you organise (or any meeting, for ADMIN).',
    authScopes: { role: ['MANAGER', 'ADMIN'] },
    args: { input: t.arg({ type: UpdateTeamMeetingAttendanceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const meetingId = await updateTeamMeetingAttendance({
        prisma: ctx.prisma,
        viewer: signedInViewer(ctx),
        meetingId: idOf(input.meetingId, 'TeamMeeting', 'input.meetingId'),
        add: idsOf(input.add, 'User', 'input.add'),
        remove: idsOf(input.remove, 'User', 'input.remove'),
      });
      await ctx.cache.invalidate(meetingChanged(meetingId));
      return { meetingId };
    },
  }),
}));
