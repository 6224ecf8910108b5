import { TrustError } from '../errors.js';

/** cosign's `--type` shorthands and the predicate type URIs they stand for. */
export const PREDICATE_TYPES: Readonly<Record<string, string>> = {
  custom: 'https://cosign.sigstore.dev/attestation/v1',
  cyclonedx: 'https://cyclonedx.org/bom',
  link: 'https://in-toto.io/Link/v1',
  openvex: 'https://openvex.dev/ns',
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
};

/** A `--type` value: a shorthand or an absolute URI. */
export function predicateTypeUri(type: string): string {
  const known = PREDICATE_TYPES[type];
  if (known) return known;
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(type)) return type;
  throw new TrustError(
    'INVALID_ARGUMENT',
    `--type: "${type}" is neither a URI nor one of ${Object.keys(PREDICATE_TYPES).join(', ')}`,
  );
}
