import { describe, expect, it } from 'vitest';
import { assertNever } from '../assert.js';
import {
  attackPathFinding,
  auditFinding,
  networkFinding,
  rbacFinding,
  vulnerabilityFinding,
  withSuppression,
} from './build.js';
import { FINDING_KINDS, type Finding, type FindingKind } from './types.js';

const vuln = vulnerabilityFinding({
  references: ['https://example.test/a'],
  evidence: {
    ecosystem: 'npm',
    matchedBy: 'binary',
    matchedName: 'lodash',
    matchedVersion: '4.17.20',
    severitySource: 'cvss_v3.1',
    modified: '2024-01-01T00:00:00Z',
  },
  location: { path: 'package-lock.json' },
  status: 'fixed',
  fixedVersion: '4.17.21',
  package: { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
  description: undefined,
  title: 'Prototype pollution',
  severity: 'HIGH',
  aliases: ['CVE-2021-23337'],
  id: 'GHSA-35jh-r3h4-6jhm',
});

describe('finding constructors', () => {
  it('set the kind and write the fields in the order of the JSON contract, whatever order they are given in', () => {
    expect(Object.keys(vuln)).toEqual([
      'id',
      'aliases',
      'kind',
      'severity',
      'title',
      'package',
      'fixedVersion',
      'status',
      'location',
      'evidence',
      'references',
    ]);
    expect(vuln.kind).toBe('vulnerability');
  });

  it('leave out optional fields that are absent or undefined', () => {
    const f = networkFinding({
      id: 'NETPOL-UNENCRYPTED',
      severity: 'MEDIUM',
      title: 't',
      description: undefined,
      location: { resource: 'Pod/a/b' },
      evidence: { reason: 'no mesh' },
    });
    expect(JSON.stringify(f)).toBe(
      '{"id":"NETPOL-UNENCRYPTED","kind":"network","severity":"MEDIUM","title":"t","location":{"resource":"Pod/a/b"},"evidence":{"reason":"no mesh"}}',
    );
  });

  it('build the kinds nothing emits yet: audit and attack-path', () => {
    const audit = auditFinding({
      id: 'Create Privileged Pod',
      severity: 'HIGH',
      title: 'Create Privileged Pod',
      location: { resource: 'Pod/default/x' },
      evidence: { priority: 'WARNING', output: 'privileged pod created by alice', auditID: 'a1b2' },
    });
    const path = attackPathFinding({
      id: 'PATH-1',
      severity: 'CRITICAL',
      title: 'internet to cluster-admin',
      location: { resource: 'Service/shop/web' },
      evidence: {
        hops: [
          { kind: 'internet', ref: '0.0.0.0/0', why: 'LoadBalancer' },
          { kind: 'permission', ref: 'ClusterRole/cluster-admin', why: 'bound to the pod service account' },
        ],
      },
    });
    expect([audit.kind, path.kind]).toEqual(['audit', 'attack-path']);
    expect(path.evidence.hops.map((h) => h.kind)).toEqual(['internet', 'permission']);
  });

  it('add a suppression to the evidence without touching the rest', () => {
    const f = rbacFinding({
      id: 'RBAC-WILDCARD-VERBS',
      severity: 'MEDIUM',
      title: 't',
      location: {},
      evidence: { role: 'ClusterRole/x', rules: [], cis: 'CIS 5.1.3' },
    });
    const s = withSuppression(f, { by: 'ignorefile', file: '.strataignore', rule: 'RBAC-WILDCARD-VERBS' });
    expect(s.evidence).toEqual({
      ...f.evidence,
      suppression: { by: 'ignorefile', file: '.strataignore', rule: 'RBAC-WILDCARD-VERBS' },
    });
    expect(f.evidence).not.toHaveProperty('suppression');
  });
});

describe('FINDING_KINDS', () => {
  it('lists every kind of the union once (an exhaustive switch over it compiles)', () => {
    const seen = (k: FindingKind): FindingKind => {
      switch (k) {
        case 'vulnerability':
        case 'misconfiguration':
        case 'secret':
        case 'rbac':
        case 'network':
        case 'exposure':
        case 'signature':
        case 'audit':
        case 'attack-path':
          return k;
        default:
          return assertNever(k);
      }
    };
    expect(FINDING_KINDS.map(seen)).toEqual([...new Set(FINDING_KINDS)]);
    expect(FINDING_KINDS).toHaveLength(9);
    const kinds: Finding['kind'][] = [...FINDING_KINDS];
    expect(kinds).toContain('attack-path');
  });
});
