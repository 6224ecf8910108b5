import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type Finding, type Severity, vulnerabilityFinding } from '../../core/index.js';
import { parseKubeText } from '../../kube/index.js';
import { analyzePaths } from '../index.js';

const FIXTURE = new URL('../../../test/fixtures/paths/cluster.yaml', import.meta.url);

export const vuln = (
  resource: string,
  id: string,
  pkg: string,
  severity: Severity,
  fixedVersion?: string,
  purl = `pkg:deb/debian/${pkg}@1.0`,
): Finding =>
  vulnerabilityFinding({
    id,
    severity,
    title: `${id} in ${pkg}`,
    package: { name: pkg, version: '1.0', purl },
    ...(fixedVersion ? { fixedVersion, status: 'fixed' } : {}),
    location: { resource, container: 'c', image: 'registry.example/x@sha256:00' },
    evidence: {
      ecosystem: 'Debian:12',
      matchedBy: 'binary',
      matchedName: pkg,
      matchedVersion: '1.0',
      severitySource: 'cvss_v3.1',
      modified: '2026-01-01T00:00:00Z',
    },
  });

/** The images' scan results: which workloads run a vulnerable image. */
export const IMAGE_FINDINGS: Finding[] = [
  vuln('Deployment/shop/web', 'CVE-2026-0001', 'libssl3', 'CRITICAL', '3.0.15-1'),
  vuln('Deployment/shop/web', 'CVE-2026-0009', 'libssl3', 'LOW', '3.0.15-1'),
  vuln('Deployment/shop/cart', 'CVE-2026-0002', 'express', 'HIGH', '4.19.2', 'pkg:npm/express@1.0'),
  vuln('Deployment/internal/batch', 'CVE-2026-0003', 'bash', 'CRITICAL', '5.2-1'),
  vuln('Deployment/internal/admin-ui', 'CVE-2026-0004', 'next', 'CRITICAL', '14.2.1', 'pkg:npm/next@1.0'),
  vuln(
    'Deployment/payments/api',
    'CVE-2026-0005',
    'jackson-databind',
    'HIGH',
    '2.17.1',
    'pkg:maven/x/jackson-databind@1.0',
  ),
  vuln('StatefulSet/payments/ledger', 'CVE-2026-0006', 'postgresql-15', 'HIGH', '15.8-1'),
  vuln(
    'Deployment/payments/vault-agent',
    'CVE-2026-0007',
    'golang.org/x/net',
    'HIGH',
    '0.23.0',
    'pkg:golang/golang.org/x/net@1.0',
  ),
  vuln(
    'DaemonSet/monitoring/node-exporter',
    'CVE-2026-0008',
    'golang.org/x/net',
    'CRITICAL',
    '0.23.0',
    'pkg:golang/golang.org/x/net@1.0',
  ),
  vuln('Deployment/monitoring/grafana', 'CVE-2026-0010', 'libexpat1', 'CRITICAL'),
];

export const fixtureText = (): string => readFileSync(FIXTURE, 'utf8');

export function pathsOf(text: string, findings: readonly Finding[] = IMAGE_FINDINGS) {
  const { resources, errors } = parseKubeText(text, 'cluster.yaml');
  expect(errors).toEqual([]);
  return analyzePaths(resources, findings).findings.filter((f) => f.kind === 'attack-path');
}
