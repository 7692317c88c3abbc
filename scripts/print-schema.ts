// `npm run schema:print`: writes the printed GraphQL schema to schema.graphql (committed; a test checks it is fresh).
import { writeFileSync } from 'node:fs';
import { printSchemaSDL } from '../src/schema/index.js';

const target = new URL('../schema.graphql', import.meta.url);
writeFileSync(target, printSchemaSDL());
console.log('wrote schema.graphql');
