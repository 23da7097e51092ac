import { defineConfig } from 'vitest/config';

// Two projects: "fast" needs no Temporal server (domain, sandboxes, clients); "temporal" shares one real dev server
// started in global setup. `npm test` runs both.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/temporal/**'] },
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
