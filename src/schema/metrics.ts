// HR and operations figures attached to a weekly report (each optional, one per report).
import { builder } from './builder.js';

export const HrMetrics = builder.prismaObject('HrMetrics', {
  description: 'Hiring figures for the week.',
  select: {},
  fields: (t) => ({
    interviews: t.exposeInt('interviews'),
    offers: t.exposeInt('offers'),
    hires: t.exposeInt('hires'),
    attritions: t.exposeInt('attritions'),
  }),
});

export const OpsMetrics = builder.prismaObject('OpsMetrics', {
  description: 'Operations figures for the week.',
  select: {},
  fields: (t) => ({
    ordersProcessed: t.exposeInt('ordersProcessed'),
    tasksCompleted: t.exposeInt('tasksCompleted'),
    incidents: t.exposeInt('incidents'),
    slaBreaches: t.exposeInt('slaBreaches'),
  }),
});
