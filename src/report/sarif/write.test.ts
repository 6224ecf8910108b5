import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { misconfigurationFinding, vulnerabilityFinding } from '../../core/finding/index.js';
import { buildResult } from '../../core/result.js';
import { writeSarif } from './write.js';

const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;

function validator() {
  const schema = JSON.parse(
    readFileSync(new URL('./fixtures/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  // the schema is draft-04: its root `id` is draft-07's `$id`; every keyword it uses means the same in ajv 8
  const { $schema: _draft, id, ...rest } = schema;
  // unicodeRegExp:false: the schema's language pattern is a valid ECMAScript regex only without the u flag
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: String(id) });
}

const misconfig = misconfigurationFinding({
  id: 'PSS-privileged',
  severity: 'HIGH',
  title: 'Privileged containers: privileged',
  description: 'Privileged pods disable most security mechanisms.',
  location: { path: 'deploy/web app.yaml', line: 16, resource: 'Deployment/shop/web' },
  evidence: {
    level: 'baseline',
    policy: 'restricted',
    pssVersion: 'v1.33',
    requestedVersion: 'latest',
    check: 'privileged',
    reason: 'privileged',
    detail: 'container "app" must not set securityContext.privileged=true',
    fields: ['spec.template.spec.containers[0].securityContext.privileged'],
  },
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/'],
});
const second = { ...misconfig, location: { path: 'deploy/other.yaml', line: 3, resource: 'Pod/shop/x' } };
const dockerfile = misconfigurationFinding({
  id: 'STRATA-DF-014',
  severity: 'HIGH',
  title: 'Remote script piped into a shell',
  location: { path: 'Dockerfile', line: 8, endLine: 10 },
  evidence: { message: 'RUN pipes curl output into a shell', remediation: 'Download, verify, then run.' },
});
const vuln = vulnerabilityFinding({
  id: 'CVE-2024-0727',
  severity: 'MEDIUM',
  title: 'openssl: denial of service via null dereference',
  package: { name: 'libssl3', version: '3.0.11-1~deb12u2', purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2' },
  fixedVersion: '3.0.13-1~deb12u1',
  location: { path: 'var/lib/dpkg/status', layer: 'sha256:abc' },
  evidence: {
    ecosystem: 'Debian:12',
    matchedBy: 'source',
    matchedName: 'openssl',
    matchedVersion: '3.0.11-1~deb12u2',
    severitySource: 'database',
    modified: '2024-02-01T00:00:00Z',
  },
});
const image = misconfigurationFinding({
  id: 'STRATA-IMG-001',
  severity: 'HIGH',
  title: 'Image runs as root',
  location: { resource: 'registry.example.com/app:1' },
  evidence: { message: 'no User is set', remediation: 'Set USER.', field: 'config.User' },
});

describe('SARIF writer', () => {
  const result = buildResult({
    target: { type: 'kubernetes', name: 'deploy' },
    findings: [misconfig, second, dockerfile, vuln, image],
    errors: [{ analyzer: 'kube/load', path: 'deploy/bad.yaml', message: 'line 3: bad indentation' }],
  });
  const sarif = JSON.parse(writeSarif(result)) as {
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: { ruleId: string; ruleIndex: number; level: string; locations: unknown[] }[];
      invocations: { toolExecutionNotifications: unknown[] }[];
    }[];
  };
  const run = sarif.runs[0];

  it('is valid against the SARIF 2.1.0 schema', () => {
    const validate = validator();
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is checked by a validator that rejects a bad log', () => {
    const bad = structuredClone(sarif) as unknown as { runs: { results: { level: string }[] }[] };
    const first = bad.runs[0]?.results[0];
    if (first) first.level = 'fatal';
    expect(validator()(bad)).toBe(false);
  });

  it('declares each finding id once as a rule and points results at them', () => {
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual([
      'PSS-privileged',
      'STRATA-DF-014',
      'STRATA-IMG-001',
      'CVE-2024-0727',
    ]);
    expect(run?.results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['PSS-privileged', 0, 'error'],
      ['PSS-privileged', 0, 'error'],
      ['STRATA-DF-014', 1, 'error'],
      ['STRATA-IMG-001', 2, 'error'],
      ['CVE-2024-0727', 3, 'warning'],
    ]);
  });

  it('locates results by file and line, with the resource as a logical location', () => {
    expect(run?.results[0]?.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'deploy/web%20app.yaml' }, region: { startLine: 16 } },
        logicalLocations: [{ fullyQualifiedName: 'Deployment/shop/web', kind: 'resource' }],
      },
    ]);
    expect(run?.results[2]?.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 8, endLine: 10 } },
      },
    ]);
  });

  it('reports partial failures as tool execution notifications', () => {
    expect(run?.invocations[0]?.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: 'kube/load: line 3: bad indentation' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'deploy/bad.yaml' } } }],
      },
    ]);
  });

  it('writes the same bytes for the same result', () => {
    expect(writeSarif(result)).toBe(writeSarif(result));
  });
});
