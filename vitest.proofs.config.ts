import { defineConfig } from 'vitest/config';

// `npm run proofs`: the long form of the proofs (crash, fuzz, two writers in tests/proofs; the write path's
// replay; team sync under faults against PostgreSQL), each printing its figures. The bounded form of the same
// files runs in `npm test` (vitest.config.ts).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/proofs/**/*.test.ts', 'tests/unit/write-path-replay.test.ts', 'tests/server/sync-convergence.test.ts'],
    globalSetup: ['tests/server/support/globalSetup.ts'],
    env: { PROOFS: 'long' },
    // Ceilings for a hung proof, not speed limits: the long forms take minutes, more on a slow machine.
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    // One proof at a time: each one loads the machine on its own.
    fileParallelism: false,
  },
});
