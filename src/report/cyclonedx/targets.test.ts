import { describe, expect, it } from 'vitest';
import type { ScanResult, TargetType } from '../../core/types.js';
import {
  cycloneDxValidator,
  debianImageResult,
  schemaErrors,
  spdxValidator,
} from '../spdx/testing/schemas.js';
import { writeSpdx } from '../spdx/write.js';
import type { CdxBom } from './types.js';
import { writeCycloneDx } from './write.js';

const rpm = {
  name: 'openssl-libs',
  version: '1:3.0.7-24.el9',
  ecosystem: 'Red Hat',
  purl: 'pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1',
  vendor: 'Red Hat, Inc.',
  maintainer: 'Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>',
  licenses: ['ASL 2.0 and OpenSSL'],
  path: 'var/lib/rpm/rpmdb.sqlite',
};

describe.each([
  ['container_image', 'container', 'CONTAINER'],
  ['filesystem', 'application', 'APPLICATION'],
  ['kubernetes', 'platform', 'OTHER'],
  ['cluster', 'platform', 'OTHER'],
] as const)('a %s target', (type: TargetType, cdxType, spdxPurpose) => {
  const result: ScanResult = {
    ...debianImageResult(),
    target: { type, name: `some ${type}` },
    os: { family: 'rhel', version: '9.3' },
    packages: [rpm],
    findings: [],
  };

  it(`is a CycloneDX ${cdxType} in a valid BOM`, () => {
    const bom = JSON.parse(writeCycloneDx(result)) as CdxBom;
    expect(schemaErrors(cycloneDxValidator(), bom)).toEqual([]);
    expect(bom.metadata.component.type).toBe(cdxType);
    expect(bom.components[1]).toMatchObject({
      supplier: { name: 'Red Hat, Inc.' },
      authors: [{ name: 'Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>' }],
      licenses: [{ expression: 'Apache-2.0 AND OpenSSL' }],
    });
  });

  it(`is an SPDX ${spdxPurpose} package in a valid document`, () => {
    const doc = JSON.parse(writeSpdx(result)) as { packages: { primaryPackagePurpose: string }[] };
    expect(schemaErrors(spdxValidator(), doc)).toEqual([]);
    expect(doc.packages[0]!.primaryPackagePurpose).toBe(spdxPurpose);
  });
});
