import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // A ceiling for a hung test, not a speed limit: the slowest tests take ~4 s here (~9 s under load), and
    // CI machines are 2–3× slower.
    testTimeout: 60_000,
  },
});
