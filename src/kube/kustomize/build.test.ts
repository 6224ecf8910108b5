import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildKustomization, KustomizeError } from './index.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-kust-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n';

function failure(dir: string): KustomizeError {
  try {
    buildKustomization(dir);
  } catch (err) {
    if (err instanceof KustomizeError) return err;
    throw err;
  }
  throw new Error('build succeeded');
}

describe('kustomize build', () => {
  describe('when a kustomization uses a field Strata does not build', () => {
    it.each(['components', 'replicas', 'helmCharts', 'replacements', 'crds'])(
      'names the field %s',
      (field) => {
        const dir = tree({ 'kustomization.yaml': `resources: [pod.yaml]\n${field}: []\n`, 'pod.yaml': POD });
        const err = failure(dir);
        expect(err.code).toBe('UNSUPPORTED');
        expect(err.message).toBe(
          `${join(dir, 'kustomization.yaml')}: field "${field}" is not supported by strata's kustomize build`,
        );
      },
    );

    it('refuses a generator behavior other than create', () => {
      const dir = tree({
        'kustomization.yaml': 'configMapGenerator:\n- name: c\n  behavior: merge\n  literals: [a=b]\n',
      });
      expect(failure(dir).message).toContain('configMapGenerator c: behavior merge is not supported');
    });
  });

  describe('when paths leave what kustomize would load', () => {
    it('refuses a remote base', () => {
      const dir = tree({ 'kustomization.yaml': 'resources:\n- https://github.com/org/repo//base?ref=v1\n' });
      expect(failure(dir).code).toBe('UNSUPPORTED');
    });

    it('refuses a patch file outside the kustomization directory', () => {
      const dir = tree({
        'k/kustomization.yaml': 'resources: [pod.yaml]\npatches:\n- path: ../secret.yaml\n',
        'k/pod.yaml': POD,
        'secret.yaml': POD,
      });
      expect(failure(join(dir, 'k')).message).toContain('is outside');
    });

    it('reports a cycle of bases', () => {
      const dir = tree({
        'a/kustomization.yaml': 'resources: [../b]\n',
        'b/kustomization.yaml': 'resources: [../a]\n',
      });
      expect(failure(join(dir, 'a')).code).toBe('CYCLE');
    });

    it('names a missing resource file', () => {
      const dir = tree({ 'kustomization.yaml': 'resources: [gone.yaml]\n' });
      expect(failure(dir).message).toContain('gone.yaml: no such file or directory');
    });
  });

  it('keeps the file each resource came from', () => {
    const dir = tree({ 'kustomization.yaml': 'resources: [pod.yaml]\nnamePrefix: x-\n', 'pod.yaml': POD });
    const [r] = buildKustomization(dir);
    expect(r?.file).toMatch(/pod\.yaml$/);
    expect(r?.object.metadata).toMatchObject({ name: 'x-p' });
  });
});
