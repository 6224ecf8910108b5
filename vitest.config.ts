import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts) and never start servers.
// Integration tests (test/integration/**) use real registries, images and tools;
// their expensive fixtures are built once per run in test/global-setup.ts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['dist/**', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: ['dist/**', 'node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
