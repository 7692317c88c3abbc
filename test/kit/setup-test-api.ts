// One line per test file for what most tests start from: `const { api, db, team, viewers } = setupTestApi({...})`
// registers the beforeAll that starts the API on a fresh database and seeds it, and the afterAll that closes both.
import { afterAll, beforeAll } from 'vitest';
import { startTestApi, type Actor, type TestApi, type TestApiOptions } from './api.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { seedTeam, viewersOf, type TeamScenario, type Viewers } from './scenarios.js';

export interface SetupOptions {
  /** seedTeam's sizes (default: seedTeam's own, 60 users and 6 weeks), or false for an empty database. */
  team?: { users?: number; weeks?: number } | false;
}

export interface SetupTestApiOptions extends TestApiOptions, SetupOptions {
  /** Who requests are made as from the start: a viewer by role, a user id, 'service', or nobody (default). */
  actAs?: keyof Viewers | Actor;
}

/** What a file's tests share. Filled in beforeAll: reading it at module level throws. */
export interface TestFile {
  api: TestApi;
  db: TestDatabase;
  team: TeamScenario;
  viewers: Viewers;
}

/**
 * Starts an API (with `options`, which may be a function read in beforeAll, e.g. to share another API's
 * `db`), seeds seedTeam into its database, and closes it after the file (or the describe it is called in).
 */
export function setupTestApi(options: SetupTestApiOptions | (() => SetupTestApiOptions | Promise<SetupTestApiOptions>) = {}): TestFile {
  const file = lateTestFile();
  beforeAll(async () => {
    const { team, actAs, ...apiOptions } = typeof options === 'function' ? await options() : options;
    const api = await startTestApi(apiOptions);
    file.fill({ api, db: api.db, ...(await seeded(api.db, team)) });
    if (actAs !== undefined) api.actAs(typeof actAs === 'string' && actAs !== 'service' ? file.handle.viewers[actAs] : actAs);
  });
  afterAll(() => file.current?.api.close());
  return file.handle;
}

/** A seeded database without an API, for files that start several APIs over one database. */
export function setupTestDatabase(options: SetupOptions = {}): Omit<TestFile, 'api'> {
  const file = lateTestFile();
  beforeAll(async () => {
    const db = await createTestDatabase();
    file.fill({ db, ...(await seeded(db, options.team)) } as TestFile);
  });
  afterAll(() => file.current?.db.destroy());
  return file.handle;
}

async function seeded(db: TestDatabase, team: SetupOptions['team']): Promise<Pick<TestFile, 'team' | 'viewers'>> {
  if (team === false) return {} as Pick<TestFile, 'team' | 'viewers'>;
  const scenario = await seedTeam(db, team);
  return { team: scenario, viewers: viewersOf(scenario) };
}

/** Handles that tests can destructure at module level and that forward to the objects beforeAll creates. */
function lateTestFile() {
  let current: TestFile | undefined;
  const late = <K extends keyof TestFile>(key: K): TestFile[K] => {
    const target = () => {
      const value = current?.[key];
      if (value === undefined)
        throw new Error(`setupTestApi: \`${key}\` is not there${current ? ' (not seeded: team: false)' : ' before beforeAll'}`);
      return value as object;
    };
    return new Proxy({} as TestFile[K], {
      get: (_, property) => Reflect.get(target(), property),
      set: (_, property, value) => Reflect.set(target(), property, value),
      has: (_, property) => Reflect.has(target(), property),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor(_, property) {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), property);
        return descriptor && { ...descriptor, configurable: true };
      },
    });
  };
  const handle: TestFile = { api: late('api'), db: late('db'), team: late('team'), viewers: late('viewers') };
  return {
    handle,
    get current() {
      return current;
    },
    fill(value: TestFile) {
      current = value;
    },
  };
}
