// Who works here: cities and name locales, the management hierarchy, names, emails and careers.
import type { Faker } from '@faker-js/faker';
import type { Role } from '../generated/prisma/enums.js';
import { mix32, type Random } from './random.js';
import { DAY, HOUR, type Timeline } from './timeline.js';

const EMAIL_DOMAIN = 'pulse.example';

/** The faker locale for names of people in each country. */
const NAME_LOCALES = {
  US: 'en_US',
  CA: 'en_CA',
  MX: 'es_MX',
  BR: 'pt_BR',
  GB: 'en_GB',
  IE: 'en_IE',
  PT: 'pt_PT',
  ES: 'es',
  FR: 'fr',
  DE: 'de',
  NL: 'nl',
  IT: 'it',
  SE: 'sv',
  PL: 'pl',
  IN: 'en_IN',
  AU: 'en_AU',
} as const;
type Country = keyof typeof NAME_LOCALES;
const COUNTRIES = Object.keys(NAME_LOCALES) as Country[];

interface City {
  name: string;
  country: Country;
  /** Standard-time offset from UTC in hours (daylight saving is ignored). */
  utcOffset: number;
  /** Relative headcount. */
  weight: number;
}

const CITIES: readonly City[] = (
  [
    ['New York', 'US', -5, 6],
    ['San Francisco', 'US', -8, 5],
    ['Chicago', 'US', -6, 3],
    ['Austin', 'US', -6, 3],
    ['Seattle', 'US', -8, 3],
    ['Toronto', 'CA', -5, 3],
    ['Vancouver', 'CA', -8, 2],
    ['Montreal', 'CA', -5, 2],
    ['Mexico City', 'MX', -6, 3],
    ['São Paulo', 'BR', -3, 4],
    ['Rio de Janeiro', 'BR', -3, 2],
    ['London', 'GB', 0, 6],
    ['Manchester', 'GB', 0, 2],
    ['Edinburgh', 'GB', 0, 1],
    ['Dublin', 'IE', 0, 3],
    ['Lisbon', 'PT', 0, 3],
    ['Porto', 'PT', 0, 1],
    ['Madrid', 'ES', 1, 3],
    ['Barcelona', 'ES', 1, 3],
    ['Paris', 'FR', 1, 4],
    ['Lyon', 'FR', 1, 1],
    ['Berlin', 'DE', 1, 5],
    ['Munich', 'DE', 1, 3],
    ['Hamburg', 'DE', 1, 2],
    ['Amsterdam', 'NL', 1, 4],
    ['Rotterdam', 'NL', 1, 1],
    ['Milan', 'IT', 1, 2],
    ['Rome', 'IT', 1, 1],
    ['Stockholm', 'SE', 1, 2],
    ['Warsaw', 'PL', 1, 3],
    ['Kraków', 'PL', 1, 2],
    ['Bengaluru', 'IN', 5.5, 5],
    ['Pune', 'IN', 5.5, 2],
    ['Sydney', 'AU', 10, 3],
    ['Melbourne', 'AU', 10, 2],
  ] as const
).map(([name, country, utcOffset, weight]) => ({ name, country, utcOffset, weight }));

export const TEAMS = [
  'Platform',
  'Payments',
  'Growth',
  'Data',
  'Mobile',
  'Web',
  'Infrastructure',
  'Security',
  'Support',
  'Customer Success',
  'Logistics',
  'Fulfilment',
  'Finance',
  'Sales',
  'Marketing',
  'Design',
  'Search',
  'Billing',
  'Partnerships',
  'Quality',
];

export type FakerModule = typeof import('@faker-js/faker');

/** One local, seeded Faker per country (never the shared default instance). */
export function createFakers(module: FakerModule, seed: number): Map<Country, Faker> {
  return new Map(
    COUNTRIES.map((country, i) => {
      const faker = new module.Faker({ locale: [module[NAME_LOCALES[country]], module.en, module.base] });
      faker.seed(mix32(seed + i));
      return [country, faker] as const;
    }),
  );
}

export interface Person {
  id: number;
  role: Role;
  /** Top of the hierarchy among managers; their direct reports are managers. */
  senior: boolean;
  manager: Person | null;
  city: City;
  firstName: string;
  lastName: string;
  email: string;
  active: boolean;
  createdAt: number;
  updatedAt: number;
  /** Reports are due for week indexes in [joinedWeek, leftWeek). */
  joinedWeek: number;
  leftWeek: number;
  /** Share of due weeks with a report. */
  reliability: number;
  stressBaseline: number;
  hrRole: boolean;
  opsRole: boolean;
  ordersPerWeek: number;
  tasksPerWeek: number;
  interviewsPerWeek: number;
  remoteShare: number;
  team: string;
}

/**
 * Roles, hierarchy, places, names and careers of `count` people. Ids follow created_at, as they would
 * in a real database; emails are first.last, numbered on collision.
 */
export function planPeople(count: number, timeline: Timeline, fakers: Map<Country, Faker>, random: Random): Person[] {
  const admins = Math.min(25, Math.max(1, Math.round(count / 250)));
  const managers = count >= 4 ? Math.max(1, Math.round(count / 9)) : 0;
  const seniors = managers >= 2 ? Math.max(1, Math.round(managers / 8)) : 0;
  const analysts = Math.min(Math.round(count * 0.03), count - admins - managers);
  const roles: Array<[Role, boolean]> = [
    ...Array.from({ length: admins }, () => ['ADMIN', false] as [Role, boolean]),
    ...Array.from({ length: managers }, (_, i) => ['MANAGER', i < seniors] as [Role, boolean]),
    ...Array.from({ length: analysts }, () => ['ANALYST', false] as [Role, boolean]),
  ];
  while (roles.length < count) roles.push(['EMPLOYEE', false]);

  // The first cities drawn cover the whole table, so a few hundred people already span every city.
  const coverage = random.shuffle([...CITIES]);
  const totalWeight = CITIES.reduce((sum, c) => sum + c.weight, 0);
  const drawCity = (): City => {
    const next = coverage.pop();
    if (next) return next;
    let r = random.next() * totalWeight;
    for (const city of CITIES) {
      r -= city.weight;
      if (r < 0) return city;
    }
    return CITIES[0]!;
  };

  const people: Person[] = [];
  const seniorManagers: Person[] = [];
  const teamLeads: Person[] = [];
  for (const [role, senior] of roles) {
    const leads = teamLeads.length ? teamLeads : seniorManagers;
    const manager =
      role === 'MANAGER'
        ? senior
          ? null
          : random.pick(seniorManagers.length ? seniorManagers : [null])
        : role === 'EMPLOYEE' || role === 'ANALYST'
          ? leads.length
            ? random.pick(leads)
            : null
          : null;
    // Teams mostly sit together; the rest are spread out.
    const city = role === 'EMPLOYEE' && manager && random.chance(0.75) ? manager.city : drawCity();
    const country = random.chance(0.88) ? city.country : random.pick(COUNTRIES);
    const faker = fakers.get(country)!;
    const sex = faker.person.sexType();
    const person: Person = {
      id: 0,
      role,
      senior,
      manager,
      city,
      firstName: faker.person.firstName(sex),
      lastName: faker.person.lastName(sex),
      email: '',
      ...career(role, senior, timeline, random),
      reliability: random.chance(0.12) ? random.uniform(0.55, 0.8) : random.uniform(0.88, 0.99),
      stressBaseline: (random.chance(0.1) ? random.uniform(7.4, 8.8) : random.uniform(2.5, 6.2)) + (role === 'MANAGER' ? 0.4 : 0),
      hrRole: false,
      opsRole: false,
      ordersPerWeek: 0,
      tasksPerWeek: random.uniform(4, 25),
      interviewsPerWeek: random.uniform(1.5, 8),
      remoteShare: random.chance(0.2) ? 0 : random.chance(0.12) ? 1 : random.uniform(0.2, 0.6),
      team: senior ? 'Leadership' : random.pick(TEAMS),
    };
    const lineRole = role === 'EMPLOYEE' || role === 'MANAGER';
    person.hrRole = lineRole && random.chance(0.15);
    person.opsRole = random.chance(person.hrRole ? 0.2 : lineRole ? 0.92 : 0.5);
    person.ordersPerWeek = person.opsRole && random.chance(0.4) ? random.uniform(40, 400) : 0;
    people.push(person);
    if (role === 'MANAGER') (senior ? seniorManagers : teamLeads).push(person);
  }

  people.sort((a, b) => a.createdAt - b.createdAt); // stable: ties keep their planned order
  const taken = new Map<string, number>();
  for (const [i, person] of people.entries()) {
    person.id = i + 1;
    const local = `${slug(person.firstName)}.${slug(person.lastName)}`;
    const n = (taken.get(local) ?? 0) + 1;
    taken.set(local, n);
    person.email = `${local}${n > 1 ? n : ''}@${EMAIL_DOMAIN}`;
  }
  return people;
}

/** When someone joined and (if they left) when, relative to the seeded weeks. */
function career(role: Role, senior: boolean, timeline: Timeline, random: Random) {
  const weekCount = timeline.weeks.length;
  const firstMonday = timeline.starts[0]!;
  const staff = role === 'EMPLOYEE' || role === 'ANALYST';
  if (staff && weekCount >= 2 && random.chance(0.05)) {
    const joinedWeek = random.int(1, weekCount - 1);
    // Monday to Wednesday (UTC): before their first report, which is due from Thursday.
    const createdAt = timeline.starts[joinedWeek]! + random.int(0, 2) * DAY + random.int(8 * HOUR, 17 * HOUR);
    return { joinedWeek, leftWeek: Infinity, active: true, createdAt, updatedAt: createdAt };
  }
  // Senior people have been around longer; the rest skew recent, as in a growing company.
  const daysBefore = role === 'ADMIN' || senior ? random.int(400, 2400) : 1 + Math.floor(1800 * random.next() ** 1.6);
  const createdAt = firstMonday - daysBefore * DAY + random.int(8 * HOUR, 17 * HOUR);
  if (staff && random.chance(0.06)) {
    const leftWeek = random.int(0, weekCount - 1);
    const updatedAt = timeline.starts[leftWeek]! + 4 * DAY + 17 * HOUR;
    return { joinedWeek: 0, leftWeek, active: false, createdAt, updatedAt };
  }
  return { joinedWeek: 0, leftWeek: Infinity, active: true, createdAt, updatedAt: createdAt };
}

/** Letters that Unicode does not decompose into a base letter plus accents. */
const LETTER_SPELLINGS: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** An ASCII email local part from a name: "Łucja Nowak-Kowalska" -> "lucja", "nowak-kowalska". */
function slug(name: string): string {
  const ascii = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f'’]/g, '')
    .replace(/[łøæœßđðþı]/g, (c) => LETTER_SPELLINGS[c] ?? '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii || 'user';
}
