import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/schema.js';
import { parseAdmissionPolicy } from './load.js';

const FILE = '/etc/strata/policy.yaml';

describe('parseAdmissionPolicy', () => {
  it('fills every default for an empty file', () => {
    expect(parseAdmissionPolicy('', FILE)).toEqual({
      file: FILE,
      mode: 'enforce',
      failurePolicy: 'fail',
      timeoutSeconds: 8,
      podSecurity: { level: 'restricted', version: { latest: true }, workloads: 'warn' },
      rules: { denySeverity: 'HIGH' },
      images: { pinDigests: false, cacheSeconds: 300 },
      exemptions: [],
    });
  });

  it("reads SPEC's example, resolving file paths against the policy's directory", () => {
    const p = parseAdmissionPolicy(
      `apiVersion: strata.dev/v1
kind: AdmissionPolicy
mode: warn
failurePolicy: ignore
timeoutSeconds: 5
podSecurity: { level: baseline, version: v1.30 }
rules: { denySeverity: CRITICAL }
images:
  allowedRegistries: ["127.0.0.1:5000"]
  pinDigests: true
  verification: trust.yaml
  vulnerabilities: { denySeverity: CRITICAL, ignoreUnfixed: true }
exemptions:
  - { namespaces: [kube-system] }
  - { images: ["127.0.0.1:5000/legacy/**"], expires: "2027-01-01", reason: "until the rewrite" }
`,
      FILE,
    );
    expect(p.mode).toBe('warn');
    expect(p.failurePolicy).toBe('ignore');
    expect(p.podSecurity).toEqual({
      level: 'baseline',
      version: { latest: false, minor: 30 },
      workloads: 'warn',
    });
    expect(p.images).toEqual({
      allowedRegistries: ['127.0.0.1:5000'],
      pinDigests: true,
      verification: '/etc/strata/trust.yaml',
      vulnerabilities: { denySeverity: 'CRITICAL', ignoreUnfixed: true },
      cacheSeconds: 300,
    });
    expect(p.exemptions).toEqual([
      { namespaces: ['kube-system'] },
      {
        images: ['127.0.0.1:5000/legacy/**'],
        expires: new Date('2027-01-01T00:00:00Z'),
        reason: 'until the rewrite',
      },
    ]);
  });

  it.each([
    ['mode: block', `${FILE}: mode: Invalid option: expected one of "enforce"|"warn"|"audit"`],
    ['timeoutSeconds: 31', `${FILE}: timeoutSeconds: Too big: expected number to be <=30`],
    ['podSecurity: { version: "1.30" }', `${FILE}: podSecurity.version: expected "latest" or "v1.x"`],
    ['rules: { denySeverity: high }', `${FILE}: rules.denySeverity:`],
    ['images: { allowedRegistry: [x] }', `${FILE}: images: Unrecognized key: "allowedRegistry"`],
    [
      'exemptions: [{ reason: everything }]',
      `${FILE}: exemptions[0]: expected at least one of namespaces, users, groups, images`,
    ],
    [
      'exemptions: [{ namespaces: [a], expires: "next year" }]',
      `${FILE}: exemptions[0].expires: expected a date YYYY-MM-DD`,
    ],
    ['[1, 2]', `${FILE}: (root): expected object, got array`],
  ])('refuses %s with one line naming the file and field', (yaml, message) => {
    let err: unknown;
    try {
      parseAdmissionPolicy(yaml, FILE);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message.startsWith(message)).toBe(true);
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses text that is not YAML', () => {
    expect(() => parseAdmissionPolicy('mode: [', FILE)).toThrow(
      /^\/etc\/strata\/policy\.yaml: not valid YAML/,
    );
  });
});
