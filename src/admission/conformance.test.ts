import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { podTemplatePrefix, resourceRef } from '../kube/index.js';
import { scanConfig } from '../scan/index.js';
import { ImageChecks } from './images/checks.js';
import { StaticNamespaces } from './namespaces.js';
import { parseAdmissionPolicy } from './policy/load.js';
import { reviewAdmission } from './review/review.js';
import { admissionReview } from './testing/reviews.js';

/**
 * One verdict from laptop to cluster: every workload of the fixtures `strata config` is tested on
 * gets, through the webhook, the decision `strata config` implies (denied exactly when it reports
 * a PSS finding at the level) and the same finding ids.
 */
const FIXTURES = ['workloads.yaml', 'chart.yaml'].map((f) =>
  fileURLToPath(new URL(`../kube/workload/fixtures/${f}`, import.meta.url)),
);
const LEVELS = ['baseline', 'restricted'] as const;
const VERSIONS = ['latest', 'v1.22', 'v1.30'] as const;

function idsIn(message: string | undefined): string[] {
  return [...(message ?? '').matchAll(/(?:^|; |: )(PSS-[A-Za-z_]+):/g)].map((m) => m[1] as string).sort();
}

describe.each(LEVELS)('conformance with strata config at PSS %s', (level) => {
  it.each(VERSIONS)('every fixture workload gets the same decision and ids at %s', async (version) => {
    const scan = await scanConfig(FIXTURES, {
      pss: {
        level,
        version: version === 'latest' ? { latest: true } : { latest: false, minor: Number(version.slice(3)) },
      },
    });
    const policy = parseAdmissionPolicy(
      `podSecurity: { level: ${level}, version: ${version}, workloads: enforce }\nrules: { denySeverity: NONE }`,
      'conformance.yaml',
    );
    const deps = { namespaces: new StaticNamespaces(), images: new ImageChecks(policy.images) };
    const workloads = scan.resources.filter((r) => podTemplatePrefix(r.kind));
    expect(workloads.length).toBe(11);
    for (const resource of workloads) {
      const ref = resourceRef(resource);
      const expected = scan.result.findings
        .filter((f) => f.id.startsWith('PSS-') && f.location.resource === ref)
        .map((f) => f.id)
        .sort();
      const out = await reviewAdmission(
        admissionReview({
          kind: resource.kind,
          namespace: resource.namespace ?? 'default',
          name: resource.name,
          object: resource.object,
        }),
        policy,
        deps,
      );
      const r = out.review.response;
      expect({ ref, allowed: r.allowed, ids: idsIn(r.status?.message) }).toEqual({
        ref,
        allowed: expected.length === 0,
        ids: expected,
      });
    }
  });
});

/** One violation of each PSS control, on an otherwise restricted pod. */
const C = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const VIOLATIONS: readonly (readonly [string, Record<string, unknown>])[] = [
  ['hostNetwork', { hostNetwork: true }],
  ['hostPID and hostIPC', { hostPID: true, hostIPC: true }],
  ['privileged', { containers: [{ name: 'a', image: 'x', securityContext: { ...C, privileged: true } }] }],
  [
    'SYS_ADMIN',
    {
      containers: [
        {
          name: 'a',
          image: 'x',
          securityContext: { ...C, capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] } },
        },
      ],
    },
  ],
  [
    'NET_BIND_SERVICE only',
    {
      containers: [
        {
          name: 'a',
          image: 'x',
          securityContext: { ...C, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } },
        },
      ],
    },
  ],
  ['hostPath volume', { volumes: [{ name: 'h', hostPath: { path: '/etc' } }] }],
  [
    'hostPort',
    {
      containers: [
        { name: 'a', image: 'x', securityContext: C, ports: [{ containerPort: 80, hostPort: 80 }] },
      ],
    },
  ],
  ['seccomp Unconfined', { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } }],
  ['no seccomp', { securityContext: { runAsNonRoot: true } }],
  [
    'unsafe sysctl',
    {
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'kernel.msgmax', value: '1' }],
      },
    },
  ],
  [
    'procMount Unmasked',
    { containers: [{ name: 'a', image: 'x', securityContext: { ...C, procMount: 'Unmasked' } }] },
  ],
  ['runAsUser 0', { containers: [{ name: 'a', image: 'x', securityContext: { ...C, runAsUser: 0 } }] }],
  [
    'runAsNonRoot false',
    { containers: [{ name: 'a', image: 'x', securityContext: { ...C, runAsNonRoot: false } }] },
  ],
  [
    'SELinux type',
    { containers: [{ name: 'a', image: 'x', securityContext: { ...C, seLinuxOptions: { type: 'spc_t' } } }] },
  ],
  [
    'windows HostProcess',
    {
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        windowsOptions: { hostProcess: true },
      },
    },
  ],
  ['gitRepo volume', { volumes: [{ name: 'g', gitRepo: { repository: 'https://example.com/r' } }] }],
  [
    'escalation allowed',
    { containers: [{ name: 'a', image: 'x', securityContext: { capabilities: { drop: ['ALL'] } } }] },
  ],
  [
    'ephemeral privileged',
    { ephemeralContainers: [{ name: 'e', image: 'x', securityContext: { ...C, privileged: true } }] },
  ],
];

describe('conformance on one violation of each PSS control', () => {
  it.each(LEVELS.flatMap((level) => VERSIONS.map((version) => [level, version] as const)))(
    '%s %s',
    async (level, version) => {
      const base = {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'a', image: 'x', securityContext: C }],
      };
      const docs = VIOLATIONS.map(([name, patch], i) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}`, namespace: 'c', annotations: { case: name } },
        spec: { ...base, ...patch },
      }));
      const dir = mkdtempSync(join(tmpdir(), 'strata-conf-'));
      try {
        const file = join(dir, 'pods.json');
        writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
        const v =
          version === 'latest'
            ? ({ latest: true } as const)
            : ({ latest: false, minor: Number(version.slice(3)) } as const);
        const scan = await scanConfig([file], { pss: { level, version: v } });
        const policy = parseAdmissionPolicy(
          `podSecurity: { level: ${level}, version: ${version} }\nrules: { denySeverity: NONE }`,
          'c.yaml',
        );
        const deps = { namespaces: new StaticNamespaces(), images: new ImageChecks(policy.images) };
        let denied = 0;
        for (const doc of docs) {
          const ref = `Pod/c/${doc.metadata.name}`;
          const expected = scan.result.findings
            .filter((f) => f.id.startsWith('PSS-') && f.location.resource === ref)
            .map((f) => f.id)
            .sort();
          const out = await reviewAdmission(
            admissionReview({ namespace: 'c', name: doc.metadata.name, object: doc }),
            policy,
            deps,
          );
          const r = out.review.response;
          if (!r.allowed) denied++;
          expect({
            case: doc.metadata.annotations.case,
            allowed: r.allowed,
            ids: idsIn(r.status?.message),
          }).toEqual({
            case: doc.metadata.annotations.case,
            allowed: expected.length === 0,
            ids: expected,
          });
        }
        expect(denied).toBeGreaterThan(level === 'baseline' ? 8 : 15);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
