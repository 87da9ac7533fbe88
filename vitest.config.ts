import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30000,
    hookTimeout: 30000,
    pool: 'forks',
    // Integration tests own ptys, ports and child processes; two at a time suits a 2-core machine.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
