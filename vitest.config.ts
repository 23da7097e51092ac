import { defineConfig } from 'vitest/config';

// Three projects: "fast" needs no shared Temporal server (domain, sandboxes, clients); "temporal" shares one real dev
// server started in global setup; "stack" runs the compose file's deployment natively (PostgreSQL + the Temporal
// server built from Go modules in global setup). `npm test` runs all three.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/temporal/**', 'test/stack/**'] },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          globalSetup: ['test/stack/global-setup.ts'],
          // On a fresh machine global setup builds the Temporal server (and the CLI) from Go modules.
          hookTimeout: 1_200_000,
          testTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'temporal',
          include: ['test/temporal/**/*.test.ts'],
          globalSetup: ['test/temporal/global-setup.ts'],
          // Allow up to 20 minutes for global setup: on a fresh machine it builds the Temporal CLI from Go modules.
          hookTimeout: 1_200_000,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
