// ISO 8601 weeks as 'YYYY-Www' strings: parsing, validation and arithmetic, shared by the schema,
// the services and the seed. Weeks start on Monday; week 1 holds the year's first Thursday.

export type IsoWeek = string;

const PATTERN = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** Number of ISO weeks in a year: 53 when Jan 1 is a Thursday, or a Wednesday in a leap year. */
export function weeksInYear(year: number): 52 | 53 {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

/** Parses 'YYYY-Www'; returns null when malformed or when the week does not exist in that year. */
export function parseIsoWeek(value: string): { year: number; week: number } | null {
  const match = PATTERN.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (year < 1 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function isIsoWeek(value: string): boolean {
  return parseIsoWeek(value) !== null;
}

/** What the option or parameter `name` is told when it holds no ISO week (the GraphQL scalar says more). */
export function isoWeekProblem(name: string): string {
  return `${name} must be an ISO week like 2026-W47`;
}

export function formatIsoWeek(year: number, week: number): IsoWeek {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The Monday (00:00 UTC) that starts an ISO week. */
export function isoWeekStart(value: IsoWeek): Date {
  const parsed = parseIsoWeek(value);
  if (!parsed) throw new RangeError(`not an ISO week: ${value}`);
  const jan4 = new Date(Date.UTC(parsed.year, 0, 4));
  const mondayOfWeek1 = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(mondayOfWeek1 + (parsed.week - 1) * 7 * DAY_MS);
}

/** The ISO week that contains a date (in UTC). */
export function isoWeekOf(date: Date): IsoWeek {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return formatIsoWeek(year, week);
}

/** Moves a week by `delta` weeks (negative for earlier weeks). */
export function addWeeks(value: IsoWeek, delta: number): IsoWeek {
  return isoWeekOf(new Date(isoWeekStart(value).getTime() + delta * 7 * DAY_MS));
}

export function previousWeek(value: IsoWeek): IsoWeek {
  return addWeeks(value, -1);
}

/** The ISO week of a moment as seen in a time zone (e.g. 'Europe/Berlin'). */
export function isoWeekIn(timeZone: string, at: Date = new Date()): IsoWeek {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return isoWeekOf(new Date(Date.UTC(get('year'), get('month') - 1, get('day'))));
}

/** The last complete ISO week in a time zone: the week before the current one. */
export function lastCompleteWeek(timeZone: string, at: Date = new Date()): IsoWeek {
  return previousWeek(isoWeekIn(timeZone, at));
}
