import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closestLine, KubeLoadError, loadKubeResources, parseKubeText, resourceRef } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('Kubernetes loader', () => {
  describe('when a file holds several YAML documents (Helm output)', () => {
    it('returns one resource per non-empty document, each with its own first line', async () => {
      const { resources, errors } = await loadKubeResources([fixture('multi.yaml')]);
      expect(errors).toEqual([]);
      expect(resources.map((r) => [resourceRef(r), r.line])).toEqual([
        ['Deployment/shop/web', 3],
        ['Service/shop/web', 27],
        ['ConfigMap/shop/web', 37],
      ]);
      expect(resources[0]?.apiVersion).toBe('apps/v1');
      expect(resources[0]?.file).toBe(fixture('multi.yaml'));
    });

    it('finds the line of a nested field by its key, and of a sequence item', async () => {
      const [deploy] = (await loadKubeResources([fixture('multi.yaml')])).resources;
      const c0 = ['spec', 'template', 'spec', 'containers', 0];
      expect(deploy?.lineOf([...c0, 'securityContext', 'privileged'])).toBe(16);
      expect(deploy?.lineOf(['spec', 'template', 'spec', 'containers', 1])).toBe(17);
      expect(deploy?.lineOf(['spec', 'template', 'spec', 'containers', 1, 'image'])).toBe(18);
      expect(deploy?.lineOf([...c0, 'securityContext', 'runAsUser'])).toBeUndefined();
      expect(deploy?.lineOf(['spec', 'template', 'spec', 'containers', 5])).toBeUndefined();
      expect(deploy?.lineOf([])).toBe(3);
    });

    it('points a missing field at its closest ancestor', async () => {
      const [deploy] = (await loadKubeResources([fixture('multi.yaml')])).resources;
      const path = ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'runAsNonRoot'];
      expect(deploy && closestLine(deploy, path)).toBe(17);
    });

    it('reads YAML 1.1 as Kubernetes does (0644 is octal)', async () => {
      const [deploy] = (await loadKubeResources([fixture('multi.yaml')])).resources;
      const volumes =
        deploy?.lineOf(['spec', 'template', 'spec', 'volumes']) && JSON.stringify(deploy.object);
      expect(volumes).toContain('"defaultMode":420');
    });
  });

  describe('when the document is a kind: List (JSON)', () => {
    it('returns each item as a resource at the item line', async () => {
      const { resources, errors } = await loadKubeResources([fixture('list.json')]);
      expect(errors).toEqual([]);
      expect(resources.map((r) => [resourceRef(r), r.line])).toEqual([
        ['Pod/default/a', 5],
        ['ServiceAccount/default/sa', 11],
      ]);
      expect(resources[0]?.lineOf(['spec', 'containers', 0, 'image'])).toBe(9);
    });
  });

  describe('when a document is malformed', () => {
    it('reports it with file and line and still loads the others', async () => {
      const { resources, errors } = await loadKubeResources([fixture('broken.yaml')]);
      expect(resources.map((r) => r.name)).toEqual(['first', 'third']);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ analyzer: 'kube/load', path: fixture('broken.yaml') });
      expect(errors[0]?.message).toMatch(/^line 9: /);
    });

    it.each([
      ['a document that is not a mapping', '- a\n- b\n', /line 1: document is not a mapping/],
      ['a kind without apiVersion', 'kind: Pod\nmetadata: {name: x}\n', /line 1: Pod: missing apiVersion/],
      ['an apiVersion without kind', 'apiVersion: v1\n', /line 1: missing kind/],
      ['a duplicate key', 'apiVersion: v1\nkind: Pod\nkind: Pod\n', /line 3: .*unique/i],
      [
        'an alias bomb',
        `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
          { length: 8 },
          (_, i) =>
            `b${i}: &b${i} [${
              i === 0
                ? '*a, *a, *a, *a, *a, *a, *a, *a, *a, *a'
                : Array(10)
                    .fill(`*b${i - 1}`)
                    .join(', ')
            }]`,
        ).join('\n')}\napiVersion: v1\nkind: Pod\n`,
        /line 1: .*alias/i,
      ],
    ])('reports %s as an error', (_name, text, message) => {
      const { resources, errors } = parseKubeText(text, 'x.yaml');
      expect(resources).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(message);
    });

    it('skips YAML that is not a Kubernetes object at all', () => {
      expect(parseKubeText('replicaCount: 1\n', 'values.yaml')).toEqual({ resources: [], errors: [] });
    });
  });

  describe('when given a directory', () => {
    it('walks it recursively in sorted order, keeping only YAML and JSON files', async () => {
      const { resources, errors } = await loadKubeResources([fixture('tree')]);
      expect(errors).toEqual([]);
      expect(resources.map((r) => r.name)).toEqual(['b', 'a']);
      expect(resources[1]?.file).toBe(fixture('tree/sub/a.yaml'));
    });
  });

  describe('when given - (stdin)', () => {
    it('reads the stream and names the file stdin', async () => {
      const stdin = Readable.from(['apiVersion: v1\nkind: Namespace\n', 'metadata:\n  name: piped\n']);
      const { resources } = await loadKubeResources(['-'], { stdin });
      expect(resources.map((r) => [r.file, r.name, r.line])).toEqual([['stdin', 'piped', 1]]);
    });
  });

  it('throws a user error for an input that does not exist', async () => {
    const err = await loadKubeResources(['/nonexistent/manifests']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeLoadError);
    expect(err).toMatchObject({ code: 'FILE_NOT_FOUND', userError: true });
  });

  it('keeps the lines of documents far down a large text', () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  k: v\n`;
    const text = Array.from({ length: 2_000 }, (_, i) => doc(i)).join('---\n');
    const { resources, errors } = parseKubeText(text, 'big.yaml');
    expect(errors).toEqual([]);
    expect(resources).toHaveLength(2_000);
    expect(resources[1_999]?.line).toBe(1_999 * 7 + 1);
    expect(resources[1_999]?.lineOf(['metadata', 'name'])).toBe(1_999 * 7 + 4);
  });
});
