import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isLocalImageTarget, registryOf } from './scan-image.js';

const SBOM = fileURLToPath(new URL('../../scan/sbom-in/fixtures/trivy-image.cdx.json', import.meta.url));

describe('scan-image job targets', () => {
  it.each([
    ['sbom:/srv/boms/app.cdx.json', true, undefined],
    [SBOM, true, undefined],
    ['registry.example.com/team/app:1.4', false, 'registry.example.com'],
  ])('%s: local (admin tokens only) %s, registry %s', (target, local, registry) => {
    expect(isLocalImageTarget(target)).toBe(local);
    expect(registryOf(target)).toBe(registry);
  });
});
