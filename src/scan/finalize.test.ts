import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildResult } from '../core/index.js';
import { checkImageConfig } from '../docker/index.js';
import { finalizeResult, loadSuppression } from './finalize.js';

const findings = checkImageConfig(
  { config: { User: 'root', Env: ['DB_PASSWORD=hunter2'] } },
  'registry.example/app:1',
);
const result = buildResult({ target: { type: 'container_image', name: 'app' }, findings });
const dir = mkdtempSync(join(tmpdir(), 'strata-finalize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finalizeResult', () => {
  it('starts from an image config with findings of more than one severity', () => {
    expect(findings.length).toBeGreaterThan(1);
    expect(new Set(findings.map((f) => f.severity)).size).toBeGreaterThan(1);
  });

  it('shows every finding and fails the gate when nothing filters', () => {
    const r = finalizeResult(result);
    expect(r.shown.findings).toHaveLength(findings.length);
    expect(r.gated).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('passes the gate when the severities asked for leave nothing', () => {
    const r = finalizeResult(result, { severities: ['UNKNOWN'] });
    expect(r.shown.findings).toEqual([]);
    expect(Object.values(r.shown.summary).every((n) => n === 0)).toBe(true);
    expect(r.gated).toBe(false);
  });

  it('refuses an ignore file that is not there with a user error naming it', () => {
    expect(() => finalizeResult(result, { ignorefile: join(dir, 'missing.yaml') })).toThrow(
      expect.objectContaining({ userError: true, message: expect.stringContaining('missing.yaml') }),
    );
  });

  it('moves what the ignore file names to `suppressed` and warns about expired entries', () => {
    const [first, ...rest] = result.findings;
    const file = join(dir, '.strataignore');
    writeFileSync(
      file,
      `ignore:\n  - id: ${first!.id}\n    reason: accepted\n  - id: NOT-THERE\n    expires: 2000-01-01\n`,
    );
    const r = finalizeResult(result, { ignorefile: file });
    expect(r.shown.findings.map((f) => f.id)).toEqual(rest.map((f) => f.id));
    expect(r.shown.suppressed?.map((f) => f.id)).toEqual([first!.id]);
    expect(r.warnings).toEqual([expect.stringMatching(/NOT-THERE expired on 2000-01-01/)]);
    expect(r.gated).toBe(rest.length > 0);
  });

  it('applies suppression loaded before the scan, without reading the files again', () => {
    const [first, ...rest] = result.findings;
    const file = join(dir, 'early.strataignore');
    writeFileSync(
      file,
      `ignore:\n  - id: ${first!.id}\n    reason: accepted\n  - id: OLD\n    expires: 2000-01-01\n`,
    );
    const suppression = loadSuppression({ ignorefile: file });
    rmSync(file);
    const r = finalizeResult(result, { suppression, ignorefile: file });
    expect(r.shown.findings.map((f) => f.id)).toEqual(rest.map((f) => f.id));
    expect(r.shown.suppressed?.map((f) => f.id)).toEqual([first!.id]);
    expect(r.warnings).toEqual([expect.stringMatching(/OLD expired on 2000-01-01/)]);
  });

  it('refuses a bad VEX document when loading, before any result exists', () => {
    expect(() => loadSuppression({ vex: '/dev/zero' })).toThrow(
      expect.objectContaining({ userError: true, message: expect.stringContaining('/dev/zero') }),
    );
  });
});
