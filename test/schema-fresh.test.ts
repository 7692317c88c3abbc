// schema.graphql is the printed schema; regenerate it with `npm run schema:print` when this fails.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { printSchemaSDL } from '../src/schema/index.js';

it('schema.graphql matches the schema the code builds', () => {
  const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
  expect(committed, 'schema.graphql is stale: run `npm run schema:print`').toBe(printSchemaSDL());
});
