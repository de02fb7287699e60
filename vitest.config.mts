import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// One PostgreSQL for the whole run (test/global-setup.ts), one database per test file (test/utils.ts).
export default defineConfig({
  resolve: {
    // graphql 16 has no "exports" map: Node loads index.js for type-graphql and Apollo, while Vite would pick
    // index.mjs for our files, and two copies of graphql fail every instanceof check. One copy for all.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    env: { NODE_ENV: 'test' },
    pool: 'forks',
    // Most files wait on processes, Chromium or PostgreSQL rather than compute: one file more than there are
    // cores keeps both cores busy (on 2 cores, 69 s -> 45 s for the whole suite; 4 was no faster than 3).
    maxWorkers: Math.max(3, availableParallelism() + 1),
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
