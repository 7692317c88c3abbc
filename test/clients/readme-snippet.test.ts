// The README's Apollo Client snippet is operations/apollo-client.ts, the file the Apollo test runs.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

it('README quotes operations/apollo-client.ts exactly', () => {
  const section = read('README.md')
    .split(/^## The dashboard: persisted operations and Apollo Client$/m)[1]
    ?.split(/^## /m)[0];
  expect(section, 'README.md has no "## The dashboard: persisted operations and Apollo Client" section').toBeDefined();
  const snippet = /```ts\n([\s\S]*?)```/.exec(section!)?.[1];
  expect(snippet, 'copy operations/apollo-client.ts into the README section').toBe(read('operations/apollo-client.ts'));
});
