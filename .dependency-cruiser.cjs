/**
 * Dependency rules of src/ (run by `npm run lint` through scripts/check-deps.mjs, which also fails
 * on any cycle between the top-level folders of src/). Tests, fixtures and test helpers may reach
 * anywhere; shipped code may not.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a file cycle: break it by moving the shared part down (core, or the module that owns it)',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-cli-imports',
      severity: 'error',
      comment: 'cli/ is the top of the graph: nothing imports it (the server and webhook call scan/)',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'through-index',
      severity: 'error',
      comment:
        'another module is imported only through its index.ts (its public API), its light.ts (what a CLI registration needs) or a NAME-entry.ts (a subset of index.ts one command loads; docs/ARCHITECTURE.md "Start-up"); core may be reached directly',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/[^/]+/',
        pathNot: [
          '^src/$1/',
          '^src/[^/]+/index\\.ts$',
          '^src/[^/]+/light\\.ts$',
          '^src/[^/]+/[a-z-]+-entry\\.ts$',
          '^src/core/',
        ],
      },
    },
    {
      name: 'light-stays-light',
      severity: 'error',
      comment:
        "a module's light.ts is loaded by every CLI start: it reaches no npm package and no module's index.ts, only its own small files and core",
      from: { path: '^src/([^/]+)/light\\.ts$' },
      to: {
        reachable: true,
        path: ['node_modules', '^src/(?!core/)[^/]+/index\\.ts$', '^src/core/(schema|safe-read)\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', '/fixtures/', '/testing/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6'],
  },
};
