import { describe, expect, it } from 'vitest';
import { buildResult } from '../../core/index.js';
import { SCANNERS } from '../scanners.js';
import { DETECTORS } from './registry.js';
import { chooseDetectors, runDetectors } from './run.js';
import { DETECTOR_NEEDS, type Detector } from './types.js';

const inventory = buildResult({ target: { type: 'filesystem', name: 'x' } });
const imageConfig = { architecture: 'amd64', os: 'linux', config: { User: 'root' } };

describe('the detector registry', () => {
  it('has unique `<scanner>/<what>` names whose prefix is the scanner that turns them on', () => {
    const names = DETECTORS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of DETECTORS) {
      expect(d.name).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
      expect(d.name.split('/')[0]).toBe(d.scanner);
    }
  });

  it.each(DETECTORS.map((d) => [d.name, d] as const))('%s declares known needs', (_name, d) => {
    expect(d.needs.length).toBeGreaterThan(0);
    for (const n of d.needs) expect(DETECTOR_NEEDS).toContain(n);
  });

  it('gives every scanner at least one detector', () => {
    for (const s of SCANNERS) expect(DETECTORS.some((d) => d.scanner === s)).toBe(true);
  });
});

describe('choosing detectors', () => {
  it('runs image-config detectors only on an image and project detectors only on a directory', () => {
    const names = (inputs: Parameters<typeof chooseDetectors>[0]) =>
      chooseDetectors(inputs, { scanners: ['vuln', 'secret', 'misconfig'] }).map((d) => d.name);
    expect(names({ inventory, imageConfig })).toEqual([
      'vuln/osv',
      'secret/image-config',
      'misconfig/image-config',
    ]);
    expect(names({ inventory, root: '.' })).toEqual(['vuln/osv', 'misconfig/project']);
  });

  it('runs nothing for an empty scanner list (an inventory only, `strata sbom`)', () => {
    expect(chooseDetectors({ inventory, imageConfig, root: '.' }, { scanners: [] })).toEqual([]);
  });

  it('collects findings in registry order and passes warnings on', async () => {
    const fake = (name: string, scanner: Detector['scanner']): Detector => ({
      name,
      scanner,
      needs: ['inventory'],
      detect: async () => ({
        findings: [],
        errors: [{ analyzer: name, message: 'partial' }],
        warnings: [`from ${name}`],
      }),
    });
    const warnings: string[] = [];
    const r = await runDetectors(
      { inventory },
      {
        scanners: ['secret'],
        detectors: [fake('secret/a', 'secret'), fake('misconfig/b', 'misconfig'), fake('secret/c', 'secret')],
        onWarning: (w) => warnings.push(w),
      },
    );
    expect(r.errors.map((e) => e.analyzer)).toEqual(['secret/a', 'secret/c']);
    expect(warnings).toEqual(['from secret/a', 'from secret/c']);
  });

  it('finds the image config misconfigurations', async () => {
    const r = await runDetectors({ inventory, imageConfig }, { scanners: ['misconfig'] });
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.every((f) => f.kind === 'misconfiguration')).toBe(true);
  });
});
