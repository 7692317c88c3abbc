// What every table's inserter is given: the planned people and weeks, and where to write them.
import type { StatementQueue } from './bulk-insert.js';
import type { Person } from './people.js';
import type { Timeline } from './timeline.js';

export interface SeedContext {
  queue: StatementQueue;
  log: (message: string) => void;
  batchSize: number;
  seed: number;
  timeline: Timeline;
  people: Person[];
}
