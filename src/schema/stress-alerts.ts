// `stressAlerts(week)`: the dashboard's list of people whose stress was high two weeks running (only those you may read).
import { previousWeek } from '../domain/iso-week.js';
import type { Prisma } from '../generated/prisma/client.js';
import { reportAuthorsVisibleTo } from '../services/visibility.js';
import { builder } from './builder.js';
import { countedConnection, resolveKeysetConnection } from './pagination/connection-fields.js';
import type { KeysetOrder } from './pagination/keyset.js';
import { IsoWeekScalar } from './scalars.js';
import { User } from './user.js';

const ALERT_ORDER: KeysetOrder = [
  { field: 'name', direction: 'asc', type: 'string' },
  { field: 'id', direction: 'asc', type: 'int' },
];

builder.queryField('stressAlerts', (t) =>
  t.connection(
    {
      type: User,
      description: 'People you may read whose stress was 8 or more in this week and the week before.',
      args: { week: t.arg({ type: IsoWeekScalar, required: true }) },
      resolve: (_root, args, ctx, info) =>
        resolveKeysetConnection({
          ctx,
          info,
          args,
          typeName: 'User',
          order: ALERT_ORDER,
          where: {
            AND: [
              reportAuthorsVisibleTo(ctx.viewer),
              { reports: { some: { week: args.week, stressLevel: { gte: 8 } } } },
              { reports: { some: { week: previousWeek(args.week), stressLevel: { gte: 8 } } } },
            ],
          } satisfies Prisma.UserWhereInput,
          findMany: (query) => ctx.prisma.user.findMany(query),
          count: (where) => ctx.prisma.user.count({ where }),
        }),
    },
    countedConnection('StressAlert'),
  ),
);
