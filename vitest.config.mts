import { createRequire } from 'node:module';
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
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
