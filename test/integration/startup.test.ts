import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';

/**
 * Start-up (docs/ARCHITECTURE.md "Start-up"): registering the commands loads no command's modules;
 * each action imports what it needs. A module loader hook lists every module the built CLI loads.
 */
const dir = mkdtempSync(join(tmpdir(), 'strata-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.STRATA_TEST_LOADED, url + '\\n');
  return next(url, context);
}
`,
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);

let runs = 0;
function loaded(args: string[]): { stdout: string; modules: string[] } {
  const list = join(dir, `loaded-${runs++}.txt`);
  writeFileSync(list, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, STRATA_TEST_LOADED: list, NO_COLOR: '1' },
  });
  expect(r.status, r.stderr).toBe(0);
  return { stdout: r.stdout, modules: readFileSync(list, 'utf8').split('\n').filter(Boolean) };
}

/** Third-party packages a registration may load: commander only. */
const PACKAGE = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;
/**
 * Modules outside cli/ a registration may load: each module's light entry (constants and option
 * parsers) and the few small files those re-export.
 */
const LIGHT = new Set([
  'core/errors.js',
  'core/severity.js',
  'core/version.js',
  'image/engine/sources.js',
  'notify/types.js',
  'probe/errors.js',
  'server/tokens.js',
  'transport/errors.js',
  'transport/redact.js',
  'transport/timeouts.js',
  'vuln/db/paths.js',
  'vuln/os-ecosystem.js',
]);
/** cli/ files that only an action loads */
const ACTION_ONLY =
  /^cli\/(emit|download-db-run|config-file|commands\/forwarder|commands\/rbac-request|commands\/[a-z-]+-run)\.js$/;

function heavy(url: string): boolean {
  const pkg = PACKAGE.exec(url)?.[1];
  if (pkg) return pkg !== 'commander';
  const path = /\/dist\/(.+)$/.exec(url)?.[1];
  if (!path) return false;
  if (path.startsWith('cli/')) return ACTION_ONLY.test(path);
  return !/^[a-z]+\/light\.js$/.test(path) && !LIGHT.has(path);
}

describe('strata start-up', () => {
  for (const args of [
    ['--version'],
    ['--help'],
    ['image', '--help'],
    ['server', 'token', 'create', '--help'],
  ]) {
    it(`strata ${args.join(' ')} loads only the command registrations`, () => {
      const { stdout, modules } = loaded(args);
      expect(stdout.length).toBeGreaterThan(0);
      // the hook saw the CLI itself, so an empty list cannot pass
      expect(modules.some((m) => m.endsWith('/dist/cli/main.js'))).toBe(true);
      expect(modules.some((m) => m.endsWith('/dist/cli/commands/image.js'))).toBe(true);
      expect(modules.filter(heavy)).toEqual([]);
      expect(modules.length).toBeLessThan(80);
    });
  }

  it('a command loads its modules when it runs (strata db status on a missing database)', () => {
    const list = join(dir, 'loaded-db.txt');
    writeFileSync(list, '');
    const r = spawnSync(
      process.execPath,
      ['--import', pathToFileURL(register).href, CLI, 'db', 'status', '--db', join(dir, 'none.db')],
      { encoding: 'utf8', env: { ...process.env, STRATA_TEST_LOADED: list } },
    );
    const modules = readFileSync(list, 'utf8');
    // it ran (an error about the missing database, not a usage error) and loaded the scan module
    expect(r.stderr).toMatch(/^strata: /);
    expect(modules).toMatch(/\/dist\/scan\/index\.js/);
  });
});
