import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ScanResult } from '../../../core/types.js';

const read = (url: URL): Record<string, unknown> =>
  JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
const cdx = (name: string) => read(new URL(`../../cyclonedx/fixtures/schema/${name}`, import.meta.url));

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

function ajv(): Ajv {
  // strict:false: the official schemas use annotation keywords ajv does not know (`meta:enum`, `deprecated`).
  const instance = new Ajv({ strict: false, allErrors: true });
  addFormats(instance);
  // CycloneDX uses the RFC 3987 formats; their ASCII subsets are the RFC 3986 / RFC 5321 ones.
  instance.addFormat('iri-reference', instance.formats['uri-reference'] as RegExp);
  instance.addFormat('idn-email', instance.formats.email as RegExp);
  return instance;
}

let cyclonedx: ValidateFunction | undefined;
let spdx: ValidateFunction | undefined;

/** The official CycloneDX 1.6 JSON schema (with its spdx and jsf sub-schemas). */
export function cycloneDxValidator(): ValidateFunction {
  if (!cyclonedx) {
    const instance = ajv();
    instance.addSchema(cdx('spdx.schema.json'), 'spdx.schema.json');
    instance.addSchema(cdx('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
    cyclonedx = instance.compile(cdx('bom-1.6.schema.json'));
  }
  return cyclonedx;
}

/** The official SPDX 2.3 JSON schema. */
export function spdxValidator(): ValidateFunction {
  spdx ??= ajv().compile(read(new URL('../fixtures/schema/spdx-schema-2-3.json', import.meta.url)));
  return spdx;
}

/** Validation errors as short lines, so a failing test says what is wrong. */
export function schemaErrors(validate: ValidateFunction, doc: unknown): string[] {
  return validate(doc)
    ? []
    : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message}`);
}

export function debianImageResult(): ScanResult {
  return JSON.parse(
    readFileSync(new URL('../fixtures/debian-image-result.json', import.meta.url), 'utf8'),
  ) as ScanResult;
}

/** The Debian image result plus Debian's python3-urllib3 and the urllib3 distribution it installed. */
export function ownedPackageResult(): ScanResult {
  const base = debianImageResult();
  const deb = {
    name: 'python3-urllib3',
    version: '1.26.12-1+deb12u4',
    ecosystem: 'Debian:12',
    purl: 'pkg:deb/debian/python3-urllib3@1.26.12-1%2Bdeb12u4?arch=all&distro=debian-12',
    source: { name: 'python-urllib3', version: '1.26.12-1+deb12u4' },
    arch: 'all',
    path: 'var/lib/dpkg/status',
  };
  const urllib3 = {
    name: 'urllib3',
    version: '1.26.12',
    ecosystem: 'PyPI',
    purl: 'pkg:pypi/urllib3@1.26.12',
    path: 'usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO',
    ownedBy: { type: 'deb' as const, name: deb.name, version: deb.version, purl: deb.purl },
  };
  return { ...base, packages: [...base.packages, deb, urllib3] };
}

/** A filesystem scan of a Go binary built with `go build` (main module at `(devel)`) and its modules. */
export function applicationResult(): ScanResult {
  const base = debianImageResult();
  const go = (name: string, version: string, extra?: Record<string, boolean>) => ({
    name,
    version,
    ecosystem: 'Go',
    purl: `pkg:golang/${name}@${version}`,
    path: 'app/fxapp',
    ...(extra ? { extra } : {}),
  });
  return {
    ...base,
    packages: [
      ...base.packages,
      go('example.com/fxapp', '(devel)', { main: true }),
      go('github.com/google/uuid', '1.6.0'),
      go('stdlib', '1.26.8'),
    ],
  };
}
