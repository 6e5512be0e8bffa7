import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites share one Redis server; each uses its own key prefix, so files may run in parallel.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
