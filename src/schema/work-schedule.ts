// The WorkSchedule type: one working day of a user.
import { builder } from './builder.js';
import { DateScalar } from './scalars.js';

export const WorkSchedule = builder.prismaNode('WorkSchedule', {
  id: { field: 'id' },
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
