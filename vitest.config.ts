import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // A ceiling for a hung test, not a speed limit: the slowest tests take ~4 s here (~9 s under load), and
    // CI machines are 2–3× slower.
    testTimeout: 60_000,
    projects: [
      // The proofs of tests/proofs run here in their bounded form; `npm run proofs` runs their long form.
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/proofs/**/*.test.ts'] } },
      {
        extends: true,
        // The sync server's tests, against a real PostgreSQL 15 that the global setup starts and stops.
        test: { name: 'server', include: ['tests/server/**/*.test.ts'], globalSetup: ['tests/server/support/globalSetup.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
