// HR and operations totals, shared by the weekly summary's figures and the dashboard statistics.
import { builder } from './builder.js';

export interface HrFigures {
  interviews: number;
  offers: number;
  hires: number;
  attritions: number;
}

export interface OpsFigures {
  ordersProcessed: number;
  tasksCompleted: number;
  incidents: number;
  slaBreaches: number;
}

export const HrTotals = builder.objectRef<HrFigures>('HrTotals').implement({
  fields: (t) => ({
    interviews: t.exposeInt('interviews'),
    offers: t.exposeInt('offers'),
    hires: t.exposeInt('hires'),
    attritions: t.exposeInt('attritions'),
  }),
});

export const OpsTotals = builder.objectRef<OpsFigures>('OpsTotals').implement({
  fields: (t) => ({
    ordersProcessed: t.exposeInt('ordersProcessed'),
    tasksCompleted: t.exposeInt('tasksCompleted'),
    incidents: t.exposeInt('incidents'),
    slaBreaches: t.exposeInt('slaBreaches'),
  }),
});
