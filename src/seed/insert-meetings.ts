// Team meetings and their attendees, organised by managers for their direct reports.
import { EPOCH_SECONDS, insertStatement, percent, Rows } from './bulk-insert.js';
import type { SeedContext } from './context.js';
import type { Person } from './people.js';
import { Random, STREAM } from './random.js';
import { DAY, HOUR } from './timeline.js';

const MEETING_KINDS: ReadonlyArray<readonly [title: string, durations: readonly number[]]> = [
  ['Sprint planning', [60, 90, 120]],
  ['Retrospective', [45, 60, 90]],
  ['Roadmap workshop', [120, 180, 240]],
  ['Hiring debrief', [15, 30, 45]],
  ['Incident review', [30, 45, 60]],
  ['Quarterly planning', [120, 180, 240]],
];

/**
 * Each manager's weekly team sync (and now and then a longer session) in their city, over the last
 * few seeded weeks and the week after, attended by most of the direct reports on staff that week.
 */
export async function insertMeetings(context: SeedContext): Promise<{ meetings: number; attendees: number }> {
  const { people, timeline, seed, queue, batchSize, log } = context;
  const random = new Random(seed, STREAM.meetings);
  const meetings = new Rows('team_meetings', [
    { name: 'id', type: 'int' },
    { name: 'title', type: 'text' },
    { name: 'starts_at', ...EPOCH_SECONDS },
    { name: 'duration_minutes', type: 'int' },
    { name: 'city', type: 'text' },
    { name: 'organizer_id', type: 'int' },
    { name: 'created_at', ...EPOCH_SECONDS },
  ]);
  const attendees = new Rows('_MeetingAttendees', [
    { name: 'A', type: 'int' },
    { name: 'B', type: 'int' },
  ]);
  const directReports = new Map<Person, Person[]>();
  for (const person of people) {
    if (!person.manager) continue;
    const team = directReports.get(person.manager);
    if (team) team.push(person);
    else directReports.set(person.manager, [person]);
  }
  const organizers = people.filter((p) => p.role === 'MANAGER');
  const weekCount = timeline.weeks.length;
  const counts = { meetings: 0, attendees: 0 };
  let organizersDone = 0;

  const schedule = (
    organizer: Person,
    week: number,
    title: string,
    durations: readonly number[],
    days: [first: number, last: number],
    team: Person[],
  ) => {
    const invited = team.filter(() => random.chance(0.85));
    if (!invited.length) invited.push(random.pick(team));
    const local = timeline.starts[week]! + random.int(...days) * DAY + 9 * HOUR + random.int(0, 14) * 1800;
    const startsAt = local - organizer.city.utcOffset * HOUR;
    const createdAt = startsAt - random.int(1, 14) * DAY - random.int(0, 8) * HOUR;
    const id = counts.meetings + meetings.length + 1;
    meetings.push(id, title, startsAt, random.pick(durations), organizer.city.name, organizer.id, createdAt);
    for (const attendee of invited) attendees.push(id, attendee.id);
  };

  for (const organizer of organizers) {
    organizersDone++;
    const reports = directReports.get(organizer) ?? [];
    for (let week = Math.max(0, weekCount - 3); week <= weekCount; week++) {
      const team = reports.filter((p) => p.joinedWeek <= week && week < p.leftWeek);
      if (!team.length) continue;
      if (random.chance(0.9)) schedule(organizer, week, `${organizer.team} weekly sync`, [30, 30, 45, 60], [1, 3], team);
      if (random.chance(0.35)) {
        const [kind, durations] = random.pick(MEETING_KINDS);
        schedule(organizer, week, `${kind}: ${organizer.team}`, durations, [0, 4], team);
      }
    }
    if (meetings.length + attendees.length >= batchSize || (organizersDone === organizers.length && meetings.length)) {
      counts.meetings += meetings.length;
      counts.attendees += attendees.length;
      const progress = `meetings ${counts.meetings} (organizers ${percent(organizersDone, organizers.length)})`;
      const { text, params } = insertStatement(meetings, attendees);
      await queue.push(text, params, () => log(progress));
    }
  }
  await queue.drain();
  return counts;
}
