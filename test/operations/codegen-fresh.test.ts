// The dashboard's operations still validate against schema.graphql, and operations/generated (typed
// documents and the persisted-documents manifest the server trusts) and test/kit/generated (the tests'
// typed documents) are what `npm run codegen` writes now.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import {
  buildSchema,
  Kind,
  NoUnusedFragmentsRule,
  parse,
  specifiedRules,
  validate,
  type DefinitionNode,
  type FragmentDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';
import { documentHashOf, loadManifest, sha256Hex } from '../../src/infra/persisted-documents.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OPERATIONS = `${ROOT}operations/`;
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const operationFiles = readdirSync(OPERATIONS).filter((name) => name.endsWith('.graphql'));

describe('the dashboard operations', () => {
  const schema = buildSchema(read('schema.graphql'));
  const definitions = operationFiles.flatMap((name) => parse(read(`operations/${name}`)).definitions.map((d) => ({ file: name, d })));
  const fragments = definitions.map(({ d }) => d).filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const operations = definitions.filter(({ d }) => d.kind === Kind.OPERATION_DEFINITION);

  it('cover the dashboard: overview, users, user detail, reports, country analytics, submit, generate', () => {
    const names = operations.map(({ d }) => (d as { name?: { value: string } }).name?.value);
    expect(names).toEqual(
      expect.arrayContaining([
        'DashboardOverview',
        'UsersPage',
        'UserDetail',
        'WeeklyReportsPage',
        'CountryAnalytics',
        'SubmitWeeklyReport',
        'GenerateWeeklyReport',
      ]),
    );
  });

  it.each(operationFiles.filter((name) => name !== 'fragments.graphql'))('%s validates against schema.graphql', (file) => {
    const own = definitions.filter((entry) => entry.file === file).map(({ d }) => d);
    // With every shared fragment beside it (an operation uses some of them).
    const rules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
    const errors = validate(schema, { kind: Kind.DOCUMENT, definitions: [...own, ...fragments] as DefinitionNode[] }, rules);
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});

describe('operations/generated and test/kit/generated', () => {
  it('are what `npm run codegen` generates now (run it and commit the result when this fails)', async () => {
    const outputs: { filename: string; content: string }[] = await generate({ ...config, cwd: ROOT, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = readFileSync(resolve(ROOT, output.filename), 'utf8');
      expect(committed, `${output.filename} is stale: run \`npm run codegen\``).toBe(output.content);
    }
    const generated = new Set(outputs.map((output) => resolve(ROOT, output.filename)));
    const onDisk = Object.keys(config.generates).flatMap((dir) => readdirSync(resolve(ROOT, dir)).map((name) => resolve(ROOT, dir, name)));
    expect(new Set(onDisk)).toEqual(generated);
  });

  it('has one manifest entry per operation, keyed by the sha256 of its text', () => {
    const entries = Object.entries(JSON.parse(read('operations/generated/persisted-documents.json')) as Record<string, string>);
    for (const [id, text] of entries) expect(documentHashOf(id)).toBe(sha256Hex(text));
    expect(loadManifest().size).toBe(entries.length);
    const operationCount = operationFiles
      .flatMap((name) => parse(read(`operations/${name}`)).definitions)
      .filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
    expect(entries).toHaveLength(operationCount);
  });
});
