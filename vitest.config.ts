import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/nats needs nats-server: `npm run test:nats` (vitest.nats.config.ts) runs it.
    exclude: ['test/nats/**', '**/node_modules/**'],
    // Worker-thread kernels and CLI runs spawn processes; two cores are the norm here.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
