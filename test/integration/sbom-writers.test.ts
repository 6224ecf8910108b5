import { beforeAll, describe, expect, it } from 'vitest';
import { analyzersFor } from '../../src/analyzers/registry.js';
import { buildResult } from '../../src/core/result.js';
import type { LayerInfo, ScanResult } from '../../src/core/types.js';
import { openImage, parseImageTarget } from '../../src/image/index.js';
import { walkImage } from '../../src/image/walker/walk.js';
import type { CdxBom } from '../../src/report/cyclonedx/index.js';
import { writeCycloneDx } from '../../src/report/cyclonedx/index.js';
import { type SpdxDocument, writeSpdx } from '../../src/report/spdx/index.js';
import { cycloneDxValidator, schemaErrors, spdxValidator } from '../../src/report/spdx/testing/schemas.js';
import { buildInventory } from '../../src/scan/inventory.js';
import { type DebianImage, debianImage } from '../support/debian-image.js';

/** The inventory of the real multi-layer Debian image, as `strata sbom` builds it. */
async function inventory(img: DebianImage, tag: string): Promise<ScanResult> {
  const image = await openImage(parseImageTarget(`oci:${img.layout}:${tag}`));
  try {
    const walked = await walkImage(image, { analyzers: analyzersFor(['os', 'lang']) });
    const layers: LayerInfo[] = image.layers.map((l) => ({
      digest: l.digest,
      diffId: l.diffId,
      size: l.size,
      ...(l.createdBy ? { createdBy: l.createdBy } : {}),
    }));
    const inv = buildInventory(walked.files, layers);
    return buildResult({
      target: {
        type: 'container_image',
        name: image.name,
        ...(image.digest ? { digest: image.digest } : {}),
      },
      ...(inv.os ? { os: inv.os } : {}),
      layers,
      packages: inv.packages,
      errors: walked.errors,
      metadata: { config: image.config },
    });
  } finally {
    await image.close();
  }
}

describe('SBOM writers on a real Debian image', () => {
  let img: DebianImage;
  let result: ScanResult;
  let bom: CdxBom;
  let doc: SpdxDocument;
  /** tag v3: before the last layer hides usr/share/doc, so the copyright files are there */
  let withDocs: ScanResult;

  beforeAll(async () => {
    img = await debianImage();
    result = await inventory(img, img.tag);
    withDocs = await inventory(img, 'v3');
    bom = JSON.parse(writeCycloneDx(result)) as CdxBom;
    doc = JSON.parse(writeSpdx(result)) as SpdxDocument;
  }, 600_000);

  it('finds the packages dpkg-query reports', () => {
    expect(result.packages.length).toBeGreaterThanOrEqual(Object.keys(img.expected).length);
  });

  it('writes a CycloneDX 1.6 BOM the official schema accepts, with every dpkg package and its layer', () => {
    expect(schemaErrors(cycloneDxValidator(), bom)).toEqual([]);
    const layerDigests = result.layers!.map((l) => l.digest);
    for (const [name, versionArch] of Object.entries(img.expected)) {
      const version = versionArch.split(' ')[0]!;
      const c = bom.components.find((x) => x.name === name && x.version === version);
      expect(c, name).toBeDefined();
      expect(c!.purl!.startsWith(`pkg:deb/debian/${encodeURIComponent(name)}@`), c!.purl).toBe(true);
      const layer = c!.properties!.find((p) => p.name === 'strata:layer:digest')?.value;
      expect(layerDigests, name).toContain(layer);
    }
  });

  it("records for each package the layer the inventory traced it to, with that layer's diffID", () => {
    const byRef = new Map(bom.components.map((c) => [c.purl, c]));
    for (const p of result.packages) {
      const props = byRef.get(p.purl)!.properties!;
      const layer = result.layers!.find((l) => l.digest === p.layer)!;
      expect(props.find((x) => x.name === 'strata:layer:digest')?.value, p.name).toBe(layer.digest);
      expect(props.find((x) => x.name === 'strata:layer:diffId')?.value, p.name).toBe(layer.diffId);
    }
  });

  it('writes an SPDX 2.3 document the official schema accepts, dated by the image config', () => {
    expect(schemaErrors(spdxValidator(), doc)).toEqual([]);
    expect(doc.packages).toHaveLength(result.packages.length + (result.os ? 2 : 1));
    const created = (result.metadata?.config as { created?: string } | undefined)?.created;
    expect(created).toMatch(/^\d{4}-/);
    expect(doc.creationInfo.created).toBe(new Date(created!).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  it('maps most Debian copyright licenses to SPDX ids or expressions, and stays valid', () => {
    const withLicenses = JSON.parse(writeCycloneDx(withDocs)) as CdxBom;
    expect(schemaErrors(cycloneDxValidator(), withLicenses)).toEqual([]);
    expect(schemaErrors(spdxValidator(), JSON.parse(writeSpdx(withDocs)))).toEqual([]);
    const licensed = withLicenses.components.filter((c) => c.licenses);
    const mapped = licensed.filter((c) =>
      c.licenses!.some((l) => 'expression' in l || ('license' in l && 'id' in l.license)),
    );
    expect(licensed.length).toBeGreaterThan(50);
    expect(mapped.length / licensed.length).toBeGreaterThan(0.8);
  });

  it('is byte-identical when written twice', () => {
    expect(writeCycloneDx(result)).toBe(writeCycloneDx(result));
    expect(writeSpdx(result)).toBe(writeSpdx(result));
  });
});
