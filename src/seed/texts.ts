// Report texts: pools drawn once with faker, then picked per report (faker per row would dominate the run).
import { TEAMS, type FakerModule } from './people.js';
import { mix32 } from './random.js';

export interface Texts {
  highlights: string[];
  /** What people in recruiting and HR write about. */
  hrHighlights: string[];
  blockers: string[];
  away: string[];
}

export function buildTexts(module: FakerModule, seed: number): Texts {
  const f = new module.Faker({ locale: [module.en, module.base] });
  f.seed(mix32(seed ^ 0x7e57));
  const n = (min: number, max: number) => f.number.int({ min, max });
  const team = () => f.helpers.arrayElement(TEAMS);
  const highlights: Array<() => string> = [
    () => `Shipped the ${f.hacker.adjective()} ${f.hacker.noun()} to production`,
    () => `Closed ${n(3, 40)} support tickets`,
    () => `Reviewed ${n(2, 15)} pull requests for the ${f.hacker.noun()} service`,
    () => `Finished the ${f.company.buzzAdjective()} ${f.company.buzzNoun()} proposal`,
    () => `Ran the ${team()} retrospective`,
    () => `Fixed the ${f.hacker.adjective()} ${f.hacker.noun()} outage`,
    () => `Prepared the ${f.date.month()} budget review`,
    () => `Migrated the ${f.hacker.noun()} jobs to the new cluster`,
    () => `Processed ${n(20, 400)} orders for ${f.company.name()}`,
    () => `Signed the ${f.company.name()} contract`,
    () => `Published the ${f.date.month()} ${team()} report`,
    () => `Automated the ${f.hacker.noun()} ${f.hacker.ingverb()} step`,
    () => `Mentored ${f.person.firstName()} on ${f.hacker.noun()} design`,
    () => `Demoed the new ${f.commerce.productName()} flow`,
    () => `Cut ${f.hacker.noun()} latency by ${n(10, 60)}%`,
    () => `Planned next quarter with the ${team()} team`,
  ];
  const hrHighlights: Array<() => string> = [
    () => `Interviewed ${n(2, 9)} candidates for the ${team()} team`,
    () => `Onboarded ${f.person.firstName()} to the ${team()} team`,
    () => `Sent ${n(1, 4)} offers for ${f.person.jobTitle()} roles`,
    () => `Ran the ${f.date.month()} engagement survey`,
    () => `Updated the ${f.person.jobArea()} career ladder`,
    () => `Held exit interviews with the ${team()} team`,
  ];
  const blockers: Array<() => string> = [
    () => `Waiting for access to the ${f.hacker.noun()} environment`,
    () => `Blocked on a review from the ${team()} team`,
    () => `The ${f.hacker.adjective()} ${f.hacker.noun()} is unstable`,
    () => `Unclear requirements for ${f.commerce.productName()}`,
    () => `Too many meetings this week`,
    () => `Waiting on legal for the ${f.company.name()} contract`,
    () => `${f.company.name()} has not delivered yet`,
    () => `Short-staffed while ${f.person.firstName()} is out`,
    () => `Laptop replacement delayed`,
  ];
  const pool = (templates: Array<() => string>, size: number) => Array.from({ length: size }, () => f.helpers.arrayElement(templates)());
  return {
    highlights: pool(highlights, 600),
    hrHighlights: pool(hrHighlights, 200),
    blockers: pool(blockers, 150),
    away: ['On vacation', 'Out of office all week', 'Sick leave', 'Public holidays and time off', 'Parental leave'],
  };
}
