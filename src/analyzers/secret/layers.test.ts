import { describe, expect, it } from 'vitest';
import { fakeImage, gzipLayer } from '../../image/walker/testing/fake-image.js';
import { walkImage } from '../../image/walker/walk.js';
import { createSecretAnalyzer } from './analyzer.js';
import { ALNUM, FakeSecrets } from './testing/fake-secrets.js';

const fake = new FakeSecrets(2718);

describe('secret analyzer in the layer walker', () => {
  it('finds a secret in the layer that holds it, even when a later layer deletes it', async () => {
    const token = `glpat-${fake.chars(ALNUM, 20)}`;
    const key = fake.pem('OPENSSH PRIVATE KEY');
    const l1 = await gzipLayer([
      { name: 'root/.ssh/id_ed25519', content: key },
      { name: 'srv/app/.env', content: `NODE_ENV=production\nGITLAB_TOKEN=${token}\n` },
      { name: 'usr/share/doc/openssh/example_key', content: key },
    ]);
    const l2 = await gzipLayer([
      { name: 'root/.ssh/.wh.id_ed25519', content: '' },
      { name: 'srv/app/.env', content: 'NODE_ENV=production\n' },
    ]);
    const image = fakeImage([l1, l2]);
    const out = await walkImage(image, { analyzers: [createSecretAnalyzer()] });
    expect(out.errors).toEqual([]);
    expect(out.layerFindings.map((f) => [f.id, f.location])).toEqual([
      ['private-key', { path: 'root/.ssh/id_ed25519', line: 1, layer: image.layers[0]!.digest }],
      ['gitlab-pat', { path: 'srv/app/.env', line: 2, layer: image.layers[0]!.digest }],
    ]);
    expect(JSON.stringify(out)).not.toContain(token);
  });

  it('reports the same secret once per layer that writes it', async () => {
    const token = `npm_${fake.chars(ALNUM, 36)}`;
    const npmrc = { name: 'home/node/.npmrc', content: `//registry.npmjs.org/:_authToken=${token}\n` };
    const image = fakeImage([await gzipLayer([npmrc]), await gzipLayer([npmrc])]);
    const out = await walkImage(image, { analyzers: [createSecretAnalyzer()] });
    expect(out.layerFindings.map((f) => f.location.layer)).toEqual(image.layers.map((l) => l.digest));
  });
});
