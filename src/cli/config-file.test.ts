import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { applySettings, envName, parseConfigFile } from './config-file.js';

function program(): Command {
  const root = new Command('strata').exitOverride();
  root
    .command('image <target>')
    .option('--severity <list>')
    .option('--exit-code <n>', '', '0')
    .option('--ignore-unfixed')
    .option('--scanners <list>', '', 'vuln,secret')
    .option('--password <p>')
    .action(() => {});
  root
    .command('fs <dir>')
    .option('--severity <list>')
    .option('--no-include-dev')
    .action(() => {});
  return root;
}

/** Parses argv, then applies the settings the way main.ts's preAction hook does. */
function run(argv: string[], yaml: string | undefined, env: NodeJS.ProcessEnv = {}) {
  const root = program();
  let seen: Record<string, unknown> = {};
  root.hook('preAction', (r, action) => {
    applySettings(action, yaml === undefined ? undefined : parseConfigFile('strata.yaml', yaml, r), env);
    seen = action.opts();
  });
  root.parse(argv, { from: 'user' });
  return seen;
}

describe('strata.yaml and STRATA_* settings', () => {
  it('takes flat keys, command sections and Trivy groups, the command section first', () => {
    const yaml =
      'severity: [HIGH, CRITICAL]\nexit-code: 1\nscan:\n  scanners: [vuln]\nimage:\n  exit-code: 3\n';
    expect(run(['image', 'x'], yaml)).toMatchObject({
      severity: 'HIGH,CRITICAL',
      exitCode: '3',
      scanners: 'vuln',
    });
    expect(run(['fs', '.'], yaml)).toMatchObject({ severity: 'HIGH,CRITICAL' });
  });

  it('ranks flag > environment > file > default', () => {
    const yaml = 'exit-code: 1\nseverity: LOW\n';
    expect(run(['image', 'x'], yaml, { STRATA_EXIT_CODE: '4' })).toMatchObject({
      exitCode: '4',
      severity: 'LOW',
    });
    expect(run(['image', 'x', '--exit-code', '6'], yaml, { STRATA_EXIT_CODE: '4' })).toMatchObject({
      exitCode: '6',
    });
    expect(run(['image', 'x'], undefined)).toMatchObject({ exitCode: '0' });
  });

  it('reads booleans, including a negated flag by its positive name', () => {
    expect(run(['image', 'x'], undefined, { STRATA_IGNORE_UNFIXED: 'true' })).toMatchObject({
      ignoreUnfixed: true,
    });
    expect(run(['image', 'x'], undefined, { STRATA_IGNORE_UNFIXED: '0' }).ignoreUnfixed).toBe(false);
    expect(run(['fs', '.'], 'include-dev: false\n')).toMatchObject({ includeDev: false });
    expect(() => run(['image', 'x'], undefined, { STRATA_IGNORE_UNFIXED: 'maybe' })).toThrow(
      'STRATA_IGNORE_UNFIXED: "maybe" is not true or false',
    );
  });

  it('leaves STRATA_PASSWORD to the signing key, not the registry --password', () => {
    expect(run(['image', 'x'], undefined, { STRATA_PASSWORD: 'k' }).password).toBeUndefined();
  });

  it.each([
    ['bogus: 1', 'strata.yaml: bogus: unknown key (not a flag of any command)'],
    ['fs:\n  scanners: [vuln]', 'strata.yaml: fs.scanners: unknown key (not a flag of strata fs)'],
    ['nope:\n  severity: LOW', 'strata.yaml: nope: unknown section'],
    ['image:\n  severity: {a: 1}', 'strata.yaml: image.severity: expected a value or a list, got a mapping'],
    ['- severity', 'strata.yaml: (root): is not a mapping of flag names'],
    ['severity: [', 'strata.yaml: not valid YAML'],
  ])('refuses %j naming the key', (yaml, message) => {
    expect(() => parseConfigFile('strata.yaml', yaml, program())).toThrow(message);
  });

  it('names variables after the flag', () => {
    expect(envName('exit-code')).toBe('STRATA_EXIT_CODE');
  });
});
