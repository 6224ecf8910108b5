import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputFile, readInputText } from './safe-read.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-safe-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputFile', () => {
  it('reads a regular file', () => {
    const p = join(dir, 'ok.yaml');
    writeFileSync(p, 'a: 1\n');
    expect(readInputText(p, { kind: 'rules' })).toBe('a: 1\n');
  });

  it('refuses a file over the cap with its size', () => {
    const p = join(dir, 'big');
    writeFileSync(p, Buffer.alloc(2048));
    expect(() => readInputFile(p, { kind: 'vex', maxBytes: 1024 })).toThrow(
      /vex file .*big: 2048 bytes is over the 1024-byte limit/,
    );
  });

  it('refuses /dev/zero without reading it', () => {
    expect(() => readInputFile('/dev/zero', { kind: 'ignorefile' })).toThrow(
      /is a device, expected a regular file/,
    );
  });

  it('refuses a FIFO without blocking on it', () => {
    const p = join(dir, 'fifo');
    execFileSync('mkfifo', [p]);
    expect(() => readInputFile(p, { kind: 'kubeconfig' })).toThrow(/is a FIFO, expected a regular file/);
  });

  it('refuses a directory', () => {
    expect(() => readInputFile(dir, { kind: 'policy' })).toThrow(/is a directory/);
  });

  it('names a missing file', () => {
    expect(() => readInputFile(join(dir, 'nope'), { kind: 'key' })).toThrow(/key file .*nope: no such file/);
  });
});
