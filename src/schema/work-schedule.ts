// The WorkSchedule type: one working day of a user.
import { builder } from './builder.js';
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
