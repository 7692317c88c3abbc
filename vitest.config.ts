// Test runner: integration tests against real PostgreSQL (DATABASE_URL) or embedded PGlite.
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql module for our code and for Yoga/Pothos (as under Node): otherwise Vite hands our
    // code the ESM build and `instanceof GraphQLError` fails across the two copies.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/kit/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // PGlite and PostgreSQL databases are per file; two workers fit this machine's 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
