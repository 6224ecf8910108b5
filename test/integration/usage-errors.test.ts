import { describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/** Issue 13: a usage mistake is one `strata: ...` line on stderr and exit 2, as SPEC.md says. */
describe('usage errors', () => {
  it.each([
    [['image'], "missing required argument 'target'", 'strata image --help'],
    [['bogus'], "unknown command 'bogus'", 'strata --help'],
    [['image', '--bogus', 'x'], "unknown option '--bogus'", 'strata image --help'],
    [['db', 'update', '--bogus'], "unknown option '--bogus'", 'strata db update --help'],
  ])('strata %j prints one line and exits 2', async (args, message, help) => {
    const run = await strata(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`strata: ${message} (see "${help}")\n`);
  });

  it('keeps --help and --version as they were (stdout, exit 0)', async () => {
    const help = await strata(['image', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: strata image [options] <target>');
    const version = await strata(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(version.stderr).toBe('');
  });
});
