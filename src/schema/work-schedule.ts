// The WorkSchedule type (one working day of a user) and the mutations that keep schedules.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createWorkSchedule } from '../services/create-work-schedule.js';
import { deleteWorkSchedule } from '../services/delete-work-schedule.js';
import { updateWorkSchedule } from '../services/update-work-schedule.js';
import type { ScheduleRef } from '../services/work-schedule-rules.js';
import { cachedEntity } from './cache-entities.js';
import { builder, WRITER_ROLES } from './builder.js';
import { idOf, signedInViewer } from './global-ids.js';
import { DateScalar } from './scalars.js';
import { schedulesVisibleTo } from '../services/visibility.js';

export const WorkSchedule = builder.prismaNode('WorkSchedule', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), AND: [schedulesVisibleTo(ctx.viewer)] }),
  nullable: true,
  select: { id: true },
  fields: (t) => ({
    date: t.expose('date', { type: DateScalar }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    remote: t.exposeBoolean('remote'),
    user: t.relation('user'),
  }),
});

/** Cached responses a schedule write makes stale: its owner (User.workSchedules) and the schedule itself. */
function scheduleChanged(schedule: ScheduleRef) {
  return [cachedEntity('User', schedule.userId), cachedEntity('WorkSchedule', schedule.id)];
}

const WorkSchedulePayload = builder.objectRef<{ scheduleId: number }>('WorkSchedulePayload').implement({
  fields: (t) => ({
    workSchedule: t.prismaField({
      type: 'WorkSchedule',
      resolve: (query, payload, _args, ctx) => ctx.prisma.workSchedule.findUniqueOrThrow({ ...query, where: { id: payload.scheduleId } }),
    }),
  }),
});

const CreateWorkScheduleInput = builder.inputType('CreateWorkScheduleInput', {
  fields: (t) => ({
    userId: t.globalID({ description: 'Whose schedule (default: yours; managers may name a direct report).' }),
    date: t.field({ type: DateScalar, required: true }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime', required: true }),
    remote: t.boolean({ required: true, defaultValue: false }),
  }),
});

const UpdateWorkScheduleInput = builder.inputType('UpdateWorkScheduleInput', {
  fields: (t) => ({
    id: t.globalID({ required: true }),
    date: t.field({ type: DateScalar }),
    startsAt: t.field({ type: 'DateTime' }),
    endsAt: t.field({ type: 'DateTime' }),
    remote: t.boolean(),
  }),
});

const DeleteWorkScheduleInput = builder.inputType('DeleteWorkScheduleInput', {
  fields: (t) => ({ id: t.globalID({ required: true }) }),
});

const DeleteWorkSchedulePayload = builder.objectRef<{ deletedId: string }>('DeleteWorkSchedulePayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
});

builder.mutationFields((t) => ({
  createWorkSchedule: t.field({
    type: WorkSchedulePayload,
    description: 'Adds a working day to your schedule (or, for managers, a direct report’s). One per user and date.',
    authScopes: { role: WRITER_ROLES },
    args: { input: t.arg({ type: CreateWorkScheduleInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { userId, ...fields } = input;
      const schedule = await createWorkSchedule({
        prisma: ctx.prisma,
        viewer: signedInViewer(ctx),
        input: { ...fields, ...(userId ? { userId: idOf(userId, 'User', 'input.userId') } : {}) },
      });
      await ctx.cache.invalidate(scheduleChanged(schedule));
      return { scheduleId: schedule.id };
    },
  }),
  updateWorkSchedule: t.field({
    type: WorkSchedulePayload,
    description: 'Changes a schedule you may manage; omitted fields stay as they are.',
    authScopes: { role: WRITER_ROLES },
    args: { input: t.arg({ type: UpdateWorkScheduleInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const id = idOf(input.id, 'WorkSchedule', 'input.id');
      const patch = {
        ...(input.date ? { date: input.date } : {}),
        ...(input.startsAt ? { startsAt: input.startsAt } : {}),
        ...(input.endsAt ? { endsAt: input.endsAt } : {}),
        ...(input.remote != null ? { remote: input.remote } : {}),
      };
      const schedule = await updateWorkSchedule({ prisma: ctx.prisma, viewer: signedInViewer(ctx), id, patch });
      await ctx.cache.invalidate(scheduleChanged(schedule));
      return { scheduleId: schedule.id };
    },
  }),
  deleteWorkSchedule: t.field({
    type: DeleteWorkSchedulePayload,
    authScopes: { role: WRITER_ROLES },
    args: { input: t.arg({ type: DeleteWorkScheduleInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const schedule = await deleteWorkSchedule({
        prisma: ctx.prisma,
        viewer: signedInViewer(ctx),
        id: idOf(input.id, 'WorkSchedule', 'input.id'),
      });
      await ctx.cache.invalidate(scheduleChanged(schedule));
      return { deletedId: encodeGlobalID('WorkSchedule', input.id.id) };
    },
  }),
}));
