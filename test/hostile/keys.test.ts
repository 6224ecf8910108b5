import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCleanEnd, expectInputError, strataHostile } from '../support/hostile.js';

/**
 * Issue 12, key writing: `key generate --force` over a world-readable file must leave a 0600
 * private key, and a key name that is a symlink (dangling or not) must never put the key where
 * the link points.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-hostile-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = { STRATA_PASSWORD: 'hostile-test' };
const mode = (p: string) => statSync(p).mode & 0o777;
const generate = (...extra: string[]) =>
  strataHostile(['key', 'generate', '--prefix', join(dir, 'k'), ...extra], { env, timeoutMs: 30_000 });

describe('strata key generate', () => {
  it('writes the private keys 0600 and the public key 0644', async () => {
    expectCleanEnd(await generate('--pkcs8'), [0]);
    expect(mode(join(dir, 'k.key'))).toBe(0o600);
    expect(mode(join(dir, 'k.pkcs8.key'))).toBe(0o600);
    expect(mode(join(dir, 'k.pub'))).toBe(0o644);
  });

  it('--force over existing 0644 files leaves 0600 private keys with the new content', async () => {
    for (const name of ['k.key', 'k.pkcs8.key', 'k.pub'])
      writeFileSync(join(dir, name), 'old', { mode: 0o644 });
    expectCleanEnd(await generate('--pkcs8', '--force'), [0]);
    expect(mode(join(dir, 'k.key'))).toBe(0o600);
    expect(mode(join(dir, 'k.pkcs8.key'))).toBe(0o600);
    expect(readFileSync(join(dir, 'k.key'), 'utf8')).toMatch(/BEGIN ENCRYPTED SIGSTORE PRIVATE KEY/);
    expect(readFileSync(join(dir, 'k.pkcs8.key'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('refuses to overwrite without --force', async () => {
    writeFileSync(join(dir, 'k.pub'), 'old');
    expectInputError(await generate(), /k\.pub exists \(use --force to overwrite\)/);
    expect(existsSync(join(dir, 'k.key'))).toBe(false);
  });

  describe.each(['k.key', 'k.pkcs8.key', 'k.pub'])('when %s is a symlink', (name) => {
    it.each([[[]], [['--force']]])(
      'refuses a dangling link (flags %j) and creates nothing at its target',
      async (flags) => {
        const target = join(dir, 'planted-target');
        symlinkSync(target, join(dir, name));
        expectInputError(
          await generate('--pkcs8', ...flags),
          new RegExp(`${name.replace(/\./g, '\\.')} is a symlink`),
        );
        expect(existsSync(target)).toBe(false);
        expect(lstatSync(join(dir, name)).isSymbolicLink()).toBe(true);
        expect(existsSync(join(dir, 'k.key')) && name !== 'k.key').toBe(false);
      },
    );

    it('refuses a link to an existing file with --force and leaves that file untouched', async () => {
      const target = join(dir, 'victim');
      writeFileSync(target, 'victim', { mode: 0o644 });
      symlinkSync(target, join(dir, name));
      expectInputError(await generate('--pkcs8', '--force'), /is a symlink/);
      expect(readFileSync(target, 'utf8')).toBe('victim');
      expect(mode(target)).toBe(0o644);
    });
  });
});
