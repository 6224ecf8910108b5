import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrustError } from '../errors.js';
import { checkKeyDestinations, writeKeyFile } from './write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-key-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe('key file writing', () => {
  it('creates a private key with mode 0600 and leaves no temporary file', async () => {
    const path = join(dir, 'a.key');
    await writeKeyFile({ path, text: 'secret', mode: 0o600 });
    expect(readFileSync(path, 'utf8')).toBe('secret');
    expect(mode(path)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.key']);
  });

  it('replaces an existing world-readable file with a 0600 one', async () => {
    const path = join(dir, 'a.key');
    writeFileSync(path, 'old', { mode: 0o644 });
    checkKeyDestinations([{ path, text: '', mode: 0o600 }], true);
    await writeKeyFile({ path, text: 'new', mode: 0o600 });
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(mode(path)).toBe(0o600);
  });

  it('refuses an existing file without force', () => {
    const path = join(dir, 'a.key');
    writeFileSync(path, 'old');
    expect(() => checkKeyDestinations([{ path, text: '', mode: 0o600 }], false)).toThrow(
      /exists \(use --force/,
    );
  });

  it.each([
    ['dangling', (target: string) => target],
    [
      'pointing at a file',
      (target: string) => {
        writeFileSync(target, 'victim');
        return target;
      },
    ],
  ])('refuses a destination that is a symlink (%s), even with force', (_name, make) => {
    const target = make(join(dir, 'elsewhere'));
    const path = join(dir, 'a.key');
    symlinkSync(target, path);
    const check = () => checkKeyDestinations([{ path, text: '', mode: 0o600 }], true);
    expect(check).toThrow(TrustError);
    expect(check).toThrow(/is a symlink/);
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });

  it('never writes through a link that appears after the check (rename replaces the link itself)', async () => {
    const target = join(dir, 'elsewhere');
    const path = join(dir, 'a.key');
    symlinkSync(target, path);
    await writeKeyFile({ path, text: 'secret', mode: 0o600 });
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(path).isFile()).toBe(true);
  });
});
