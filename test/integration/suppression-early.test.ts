import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/**
 * Issue 11 item 1: --vex and --ignorefile are read and validated before any scanning, so a bad file
 * is one line and exit 2 at once, never after a long scan (no "scanning" progress line first); so are
 * the common flags (--format, --exit-code, --severity).
 */
const IMAGE = 'examples/demo-image.tar';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strata-suppression-early-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

describe('suppression files are validated before the scan', () => {
  it('scans the demo image with a valid VEX, reporting progress (the control)', async () => {
    const vex = join(work, 'good.json');
    writeFileSync(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/good',
        author: 'test',
        timestamp: '2026-01-01T00:00:00Z',
        version: 1,
        statements: [],
      }),
    );
    const r = await strata(['image', IMAGE, '--scanners', 'secret', '--format', 'json', '--vex', vex]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^scanning /m);
  });

  it('strata image --vex /dev/zero: exit 2, one line naming the file, before any scanning', async () => {
    const r = await strata(['image', IMAGE, '--scanners', 'secret', '--vex', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^strata: .*\/dev\/zero: .*regular file/)]);
    expect(r.stderr).not.toMatch(/scanning|layer \d/);
  });

  it('strata image with a VEX that is not OpenVEX: exit 2, one line naming the file, before any scanning', async () => {
    const vex = join(work, 'bad.json');
    writeFileSync(vex, JSON.stringify({ '@context': 'https://example.com/not-vex' }));
    const r = await strata(['image', IMAGE, '--scanners', 'secret', '--vex', vex]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(vex);
    expect(r.stderr).not.toMatch(/scanning|layer \d/);
  });

  it('strata config with a broken --ignorefile: exit 2 before the manifests are read', async () => {
    const ignore = join(work, 'broken.strataignore');
    writeFileSync(ignore, 'bogus: [\n');
    const r = await strata(['config', 'examples', '--ignorefile', ignore]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(ignore);
    expect(r.stderr).not.toMatch(/^config: \d+ resources/m);
  });

  it.each([
    [['--format', 'xml'], /--format|format/],
    [['--exit-code', 'abc'], /--exit-code: "abc"/],
    [['--severity', 'SEVERE'], /--severity: unknown severity "SEVERE"/],
  ])('strata image %j: exit 2 with one line, before any scanning', async (flags, message) => {
    const r = await strata(['image', IMAGE, '--scanners', 'secret', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(message)]);
    expect(r.stderr).not.toMatch(/scanning|layer \d/);
  });
});
