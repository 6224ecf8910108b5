import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { globMatches, matchingRules } from './match.js';
import { parsePolicy } from './parse.js';

const pub = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ format: 'pem', type: 'spki' })
  .toString();
const indent = (s: string) => s.trim().split('\n').join('\n        ');

describe('policy image patterns', () => {
  it.each([
    ['registry.example.com/team/*', 'registry.example.com/team/app', true],
    ['registry.example.com/team/*', 'registry.example.com/team/sub/app', false],
    ['registry.example.com/team/**', 'registry.example.com/team/sub/app', true],
    ['registry.example.com/team/*', 'registry.example.com/other/app', false],
    ['127.0.0.1:*/app', '127.0.0.1:5000/app', true],
    ['docker.io/library/alpine', 'docker.io/library/alpine', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });
});

describe('policy parsing', () => {
  const policy = parsePolicy(
    `policies:
  - name: team
    images: ["registry.example.com/team/*"]
    keys:
      - |
        ${indent(pub)}
    annotations: { env: prod }
    attestations:
      - type: cyclonedx
        condition: "size(object.predicate.components) > 0"
`,
    'p.yaml',
  );

  it('loads keys, annotations and attestation requirements', () => {
    const [rule] = policy.rules;
    expect(rule?.keys).toHaveLength(1);
    expect(rule?.annotations).toEqual({ env: 'prod' });
    expect(rule?.attestations[0]?.predicateType).toBe('https://cyclonedx.org/bom');
    expect(rule?.attestations[0]?.condition?.expression).toBe('size(object.predicate.components) > 0');
  });

  it('finds the rules for an image by its repository', () => {
    expect(matchingRules(policy, { registry: 'registry.example.com', repository: 'team/app' })).toHaveLength(
      1,
    );
    expect(matchingRules(policy, { registry: 'registry.example.com', repository: 'x/app' })).toHaveLength(0);
  });

  it.each([
    ['not a policy list', 'a: 1', 'p.yaml: policies: expected array, got undefined'],
    [
      'no images',
      'policies: [{images: [], keys: []}]',
      'p.yaml: policies[0].images: expected at least one pattern',
    ],
    [
      'an image pattern that is not a string',
      'policies: [{images: ["a/*", 7], keys: []}]',
      'p.yaml: policies[0].images[1]: expected string, got number',
    ],
    [
      'an annotation that is not a string',
      'policies: [{images: ["a/*"], annotations: {env: [prod]}}]',
      'p.yaml: policies[0].annotations.env: expected string, got array',
    ],
    ['no signers', 'policies: [{images: ["a/*"]}]', /give "keys" or "keyless"/],
    [
      'keyless without a root',
      'policies: [{images: ["a/*"], keyless: [{subject: a, issuer: b}]}]',
      /no trustedRoot/,
    ],
    [
      'a keyless identity without issuer',
      'policies: [{images: ["a/*"], keyless: [{subject: a}]}]',
      'p.yaml: policies[0].keyless[0]: "issuer" or "issuerRegExp" is required',
    ],
    ['a missing key file', 'policies: [{images: ["a/*"], keys: [nope.pub]}]', /keys\[0\]: cannot read/],
    [
      'a bad CEL condition',
      `policies: [{images: ["a/*"], keys: [${JSON.stringify(pub)}], attestations: [{type: spdx, condition: "1 +"}]}]`,
      /condition/,
    ],
  ])('rejects %s with a line naming the field', (_n, text, message) => {
    expect(() => parsePolicy(text, 'p.yaml')).toThrow(message);
  });
});
