// The GraphQL schema: imports every type file (which registers itself on the builder) and builds it.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import './metrics.js';
import './weekly-report.js';
import './user.js';
import './work-schedule.js';
import './team-meeting.js';
import './weekly-summary.js';
import './dashboard-stats.js';
import './country-analytics.js';
import './stress-alerts.js';
import './export-url.js';

export const schema = builder.toSchema({ sortSchema: true });

/** The SDL committed as schema.graphql. */
export function printSchemaSDL(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
