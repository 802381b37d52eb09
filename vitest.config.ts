import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        extends: true,
        // The sync server's tests, against a real PostgreSQL 15 that the global setup starts and stops.
        test: { name: 'server', include: ['tests/server/**/*.test.ts'], globalSetup: ['tests/server/support/globalSetup.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
