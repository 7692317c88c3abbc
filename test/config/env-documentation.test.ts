// The variables the server reads (the zod schema in src/config.ts), .env.example and the README's
// configuration table list the same names, and .env.example holds exactly the defaults.
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envSchema, loadConfig } from '../../src/config.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

const schemaNames = Object.keys(envSchema.shape).sort();
const example = parseEnv(read('.env.example')) as Record<string, string>;

/** Rows of the README's configuration table: the variable names of the first cell, and the default cell. */
function readmeRows(): { names: string[]; defaults: string }[] {
  const section = read('README.md')
    .split(/^## Configuration$/m)[1]
    ?.split(/^## /m)[0];
  if (!section) throw new Error('README.md has no "## Configuration" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*(variable|-+)\s*\|/.test(line))
    .map((line) => {
      const [name = '', defaults = ''] = line
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      return { names: [...name.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!), defaults };
    });
}

function sameNames(documented: string[], where: string) {
  const missing = schemaNames.filter((n) => !documented.includes(n));
  const unknown = documented.filter((n) => !schemaNames.includes(n));
  expect({ missing, unknown }, `${where}: missing = read by src/config.ts but not documented; unknown = documented but never read`).toEqual(
    {
      missing: [],
      unknown: [],
    },
  );
  expect(documented.length, `${where} lists a variable twice`).toBe(new Set(documented).size);
}

describe('.env.example', () => {
  it('lists every variable the server reads, and nothing else', () => {
    sameNames(Object.keys(example), '.env.example');
  });

  it('is valid and holds the defaults: loading it gives the same configuration as an empty environment', () => {
    expect(loadConfig(example)).toEqual(loadConfig({}));
  });

  it('explains every variable in a comment line right above it', () => {
    const lines = read('.env.example').split('\n');
    const undocumented = lines
      .map((line, i) => ({ line, above: lines[i - 1] ?? '' }))
      .filter(({ line, above }) => /^[A-Z]/.test(line) && !/^# \S/.test(above))
      .map(({ line }) => line.split('=')[0]);
    expect(undocumented).toEqual([]);
  });
});

describe('README configuration table', () => {
  const rows = readmeRows();

  it('lists every variable the server reads, and nothing else', () => {
    sameNames(
      rows.flatMap((r) => r.names),
      'README.md',
    );
  });

  it('gives the same defaults as .env.example', () => {
    const disagreements: string[] = [];
    for (const { names, defaults } of rows) {
      const values = [...defaults.matchAll(/`([^`]*)`/g)].map((m) => m[1]!);
      names.forEach((name, i) => {
        const documented =
          defaults === 'unset'
            ? ''
            : values.length === names.length && defaults.replace(/`[^`]*`|\s|\//g, '') === ''
              ? values[i]
              : undefined;
        // Prose defaults ("on a TTY outside production") are for people; only literal ones are compared.
        if (documented !== undefined && documented !== example[name]) {
          disagreements.push(`${name}: README says ${JSON.stringify(documented)}, .env.example ${JSON.stringify(example[name])}`);
        }
      });
    }
    expect(disagreements).toEqual([]);
  });
});
