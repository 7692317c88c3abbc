// Test runner: integration tests against real PostgreSQL (DATABASE_URL) or embedded PGlite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/kit/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite and PostgreSQL databases are per file; two workers fit this machine's 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
