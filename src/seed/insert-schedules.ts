// Work schedules: office or remote days around the end of the seeded weeks.
import { EPOCH_SECONDS, insertStatement, percent, Rows } from './bulk-insert.js';
import type { SeedContext } from './context.js';
import { Random, STREAM } from './random.js';
import { DAY, HOUR } from './timeline.js';

/** Office or remote days for everyone still here, in the last seeded week and the week after it. */
export async function insertSchedules(context: SeedContext): Promise<number> {
  const { people, timeline, seed, queue, batchSize, log } = context;
  const random = new Random(seed, STREAM.schedules);
  const rows = new Rows('work_schedules', [
    { name: 'id', type: 'int' },
    { name: 'user_id', type: 'int' },
    { name: 'date', type: 'date' },
    { name: 'starts_at', ...EPOCH_SECONDS },
    { name: 'ends_at', ...EPOCH_SECONDS },
    { name: 'remote', type: 'bool' },
  ]);
  const mondays = timeline.starts.slice(-2);
  let written = 0;
  let peopleDone = 0;
  for (const person of people) {
    peopleDone++;
    if (!person.active) continue;
    for (const monday of mondays) {
      for (let day = 0; day < 6; day++) {
        if (!random.chance(day < 5 ? 0.85 : person.opsRole ? 0.05 : 0)) continue;
        const midnight = monday + day * DAY;
        // Starting 07:00 to 10:00 local time, for 6 to 9.5 hours.
        const startsAt = midnight + 7 * HOUR + random.int(0, 6) * 1800 - person.city.utcOffset * HOUR;
        const endsAt = startsAt + 6 * HOUR + random.int(0, 7) * 1800;
        const date = new Date(midnight * 1000).toISOString().slice(0, 10);
        rows.push(written + rows.length + 1, person.id, date, startsAt, endsAt, random.chance(person.remoteShare));
      }
    }
    if (rows.length >= batchSize || (peopleDone === people.length && rows.length)) {
      written += rows.length;
      const progress = `schedules ${written} (people ${percent(peopleDone, people.length)})`;
      const { text, params } = insertStatement(rows);
      await queue.push(text, params, () => log(progress));
    }
  }
  await queue.drain();
  return written;
}
