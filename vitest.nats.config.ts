import { defineConfig } from 'vitest/config';

// The JetStream suite (`npm run test:nats`): it starts real nats-server processes, so it is
// kept out of `npm test`, which needs nothing but Node.
export default defineConfig({
  test: {
    include: ['test/nats/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file starts its own servers; running them one at a time keeps the two cores for the jobs.
    fileParallelism: false,
  },
});
