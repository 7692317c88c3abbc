// The seeded weeks on the clock: every timestamp of the dataset is epoch seconds from these Mondays.
import { addWeeks, isoWeekStart, type IsoWeek } from '../domain/iso-week.js';
import { Random, STREAM } from './random.js';

export const DAY = 86_400;
export const HOUR = 3_600;

export interface Timeline {
  weeks: IsoWeek[];
  /** Monday 00:00 UTC of each seeded week, then of the week after, in epoch seconds. */
  starts: number[];
  /** A crunch week raises everyone's stress a little. */
  crunch: boolean[];
}

export function buildTimeline(endWeek: IsoWeek, count: number, seed: number): Timeline {
  const weeks = Array.from({ length: count }, (_, i) => addWeeks(endWeek, i - count + 1));
  const starts = [...weeks, addWeeks(endWeek, 1)].map((w) => isoWeekStart(w).getTime() / 1000);
  const random = new Random(seed, STREAM.timeline);
  return { weeks, starts, crunch: weeks.map(() => random.chance(0.15)) };
}
