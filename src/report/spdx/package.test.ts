import { describe, expect, it } from 'vitest';
import type { Package } from '../../core/types.js';
import { spdxAgent, spdxPackage } from './package.js';

const ctx = { layers: new Map(), created: '2024-01-01T00:00:00Z', annotator: 'Tool: strata-1.0.0' };
const rpm: Package = {
  name: 'openssl-libs',
  version: '1:3.0.7-24.el9',
  ecosystem: 'Red Hat',
  purl: 'pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1',
  vendor: 'Red Hat, Inc.',
  maintainer: 'Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>',
  licenses: ['ASL 2.0'],
  path: 'var/lib/rpm/rpmdb.sqlite',
};

describe('spdxAgent', () => {
  it.each([
    ['Mark Brown <broonie@debian.org>', 'Mark Brown (broonie@debian.org)'],
    ['<team@example.org>', 'team@example.org (team@example.org)'],
    [
      'Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>',
      'Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>',
    ],
    ['  Jane  ', 'Jane'],
  ])('%s -> %s', (text, agent) => {
    expect(spdxAgent(text)).toBe(agent);
  });
});

describe('spdxPackage', () => {
  it('prefers the vendor as supplying organization', () => {
    const { pkg } = spdxPackage(rpm, 'SPDXRef-Package-x', ctx);
    expect(pkg.supplier).toBe('Organization: Red Hat, Inc.');
    expect(pkg.licenseDeclared).toBe('Apache-2.0');
    expect(pkg.versionInfo).toBe('1:3.0.7-24.el9');
  });

  it('leaves out what the package does not record', () => {
    const { pkg } = spdxPackage(
      { name: 'x', version: '', ecosystem: 'npm', purl: '', path: 'package-lock.json' },
      'SPDXRef-Package-x',
      ctx,
    );
    expect(pkg).not.toHaveProperty('versionInfo');
    expect(pkg).not.toHaveProperty('supplier');
    expect(pkg).not.toHaveProperty('externalRefs');
    expect(pkg).not.toHaveProperty('sourceInfo');
    expect(pkg.licenseDeclared).toBe('NOASSERTION');
  });
});
