import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts) and never start servers.
// Integration tests (test/integration/**) use real registries, images and tools; their expensive
// fixtures (debootstrap images) are built once and cached by test/support/cache.ts.
// Hostile-input tests (test/hostile/**) run the built CLI under a heap and address-space cap
// (test/support/hostile.ts) and prove every hostile case ends quickly with exit 0 or 2.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.mjs'],
          exclude: ['dist/**', 'node_modules/**', 'scripts/fixtures/**'],
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
          // one real kube-apiserver per run, started on first use (test/support/kube-apiserver.ts)
          globalSetup: ['test/support/kube-global-setup.ts'],
        },
      },
      {
        test: {
          name: 'hostile',
          include: ['test/hostile/**/*.test.ts'],
          exclude: ['dist/**', 'node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
