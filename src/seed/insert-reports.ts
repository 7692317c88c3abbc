// Weekly reports with their HR and ops metrics, each batch written in one statement.
import { EPOCH_SECONDS, insertStatement, percent, Rows } from './bulk-insert.js';
import type { SeedContext } from './context.js';
import type { Person } from './people.js';
import { hashUnit, Random, STREAM } from './random.js';
import type { Texts } from './texts.js';
import { DAY, HOUR } from './timeline.js';

/** Whether a report exists for a person and week; stateless, so the total is known before drawing them. */
function submits(seed: number, person: Person, week: number): boolean {
  return week >= person.joinedWeek && week < person.leftWeek && hashUnit(seed, person.id, week) < person.reliability;
}

/**
 * Each person's weekly reports (person by person, so a batch touches few pages of the (user_id, week)
 * index): workdays, stress from a personal baseline plus lingering noise (so stress runs in streaks),
 * texts, and HR/ops metrics by job.
 */
export async function insertReports(context: SeedContext, texts: Texts) {
  const { people, timeline, seed, queue, batchSize, log } = context;
  const random = new Random(seed, STREAM.reports);
  let total = 0;
  for (const person of people) for (let w = 0; w < timeline.weeks.length; w++) if (submits(seed, person, w)) total++;

  const reports = new Rows('weekly_reports', [
    { name: 'id', type: 'int' },
    { name: 'user_id', type: 'int' },
    { name: 'week', type: 'text' },
    { name: 'workdays', type: 'smallint' },
    { name: 'stress_level', type: 'smallint' },
    { name: 'highlights', type: 'text' },
    { name: 'blockers', type: 'text' },
    { name: 'submitted_at', ...EPOCH_SECONDS },
    { name: 'updated_at', ...EPOCH_SECONDS },
  ]);
  const integers = (...names: string[]) => names.map((name) => ({ name, type: 'int' }));
  const hr = new Rows('hr_metrics', integers('report_id', 'interviews', 'offers', 'hires', 'attritions'));
  const ops = new Rows('ops_metrics', integers('report_id', 'orders_processed', 'tasks_completed', 'incidents', 'sla_breaches'));
  const counts = { reports: 0, hrMetrics: 0, opsMetrics: 0 };
  let written = 0;
  const flush = async () => {
    const added = reports.length;
    if (!added) return;
    counts.reports += added;
    counts.hrMetrics += hr.length;
    counts.opsMetrics += ops.length;
    const { text, params } = insertStatement(reports, hr, ops);
    written += added;
    const progress = `reports ${percent(written, total)}`;
    await queue.push(text, params, () => log(progress));
  };

  for (const person of people) {
    let noise = 0;
    for (const [w, week] of timeline.weeks.entries()) {
      noise = 0.55 * noise + 0.9 * random.normal();
      if (!submits(seed, person, w)) continue;
      const monday = timeline.starts[w]!;
      const crunch = timeline.crunch[w] ? 0.8 : 0;
      const workdays = drawWorkdays(random);
      const strain = workdays >= 6 ? 1 : workdays === 0 ? -2 : 0;
      const stress = Math.min(10, Math.max(1, Math.round(person.stressBaseline + noise + crunch + strain)));
      const topics = person.hrRole && random.chance(0.7) ? texts.hrHighlights : texts.highlights;
      const highlights =
        workdays === 0
          ? random.pick(texts.away)
          : `${[random.pick(topics), ...(random.chance(0.45) ? [random.pick(texts.highlights)] : [])].join('. ')}.`;
      const blocked = workdays > 0 && random.chance(Math.min(0.75, Math.max(0.08, 0.12 + 0.07 * (stress - 4))));
      const blockers = blocked ? random.pick(texts.blockers) : null;
      // Thursday afternoon to Sunday evening, local time.
      const submittedAt = monday + random.int(3 * DAY + 15 * HOUR, 6 * DAY + 20 * HOUR) - person.city.utcOffset * HOUR;
      const id = counts.reports + reports.length + 1;
      reports.push(id, person.id, week, workdays, stress, highlights, blockers, submittedAt, submittedAt);

      const share = workdays / 5;
      if (person.hrRole && workdays > 0 && random.chance(0.95)) {
        const interviews = random.poisson(person.interviewsPerWeek * share);
        const offers = random.binomial(interviews, 0.3);
        const r = random.next();
        hr.push(id, interviews, offers, random.binomial(offers, 0.6), r < 0.01 ? 2 : r < 0.08 ? 1 : 0);
      }
      if (person.opsRole && workdays > 0 && random.chance(0.97)) {
        const r = random.next();
        const incidents = r < 0.72 ? 0 : r < 0.9 ? 1 : r < 0.97 ? 2 : random.int(3, 6);
        const orders = Math.round(person.ordersPerWeek * share * random.uniform(0.75, 1.25));
        ops.push(id, orders, random.poisson(person.tasksPerWeek * share), incidents, random.binomial(incidents, 0.35));
      }
    }
    if (reports.length >= batchSize) await flush();
  }
  await flush();
  await queue.drain();
  return counts;
}

/** Mostly a five-day week; some short weeks, some vacations, a few weekends worked. */
function drawWorkdays(random: Random): number {
  const r = random.next();
  return r < 0.03 ? 0 : r < 0.05 ? random.int(1, 2) : r < 0.1 ? 3 : r < 0.25 ? 4 : r < 0.93 ? 5 : r < 0.985 ? 6 : 7;
}
