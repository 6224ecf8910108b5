import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../core/index.js';
import { ImageChecks } from '../images/checks.js';
import { type NamespaceSource, StaticNamespaces } from '../namespaces.js';
import { parseAdmissionPolicy } from '../policy/load.js';
import { admissionReview, podSpec, type ReviewInit, workload } from '../testing/reviews.js';
import { type ReviewDeps, reviewAdmission } from './review.js';

const PRIVILEGED = { privileged: true, allowPrivilegeEscalation: true };
const KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
];

function policy(yaml = '') {
  return parseAdmissionPolicy(yaml, '/policies/admission.yaml');
}

function deps(
  p = policy(),
  extra: Partial<ReviewDeps> & { labels?: Record<string, Record<string, string>> } = {},
): ReviewDeps {
  return {
    namespaces: extra.namespaces ?? new StaticNamespaces(new Map(Object.entries(extra.labels ?? {}))),
    images: extra.images ?? new ImageChecks(p.images),
    ...(extra.now ? { now: extra.now } : {}),
    ...(extra.onTimeout ? { onTimeout: extra.onTimeout } : {}),
  };
}

async function run(init: ReviewInit, yaml = '', extra: Parameters<typeof deps>[1] = {}) {
  const p = policy(yaml);
  return reviewAdmission(admissionReview(init), p, deps(p, extra));
}

const privileged = (kind = 'Pod') => workload(kind, podSpec(undefined, PRIVILEGED));

describe('reviewAdmission', () => {
  describe('a hardened pod', () => {
    it('is allowed with nothing to say', async () => {
      const out = await run({});
      expect(out.decision).toBe('allow');
      expect(out.review).toEqual({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true },
      });
    });
  });

  describe('a privileged pod under the default policy (enforce, restricted)', () => {
    it('is denied with 403 naming every PSS finding id and its reason', async () => {
      const out = await run({ object: privileged() });
      const r = out.review.response;
      expect(out.decision).toBe('deny');
      expect(r.allowed).toBe(false);
      expect(r.status?.code).toBe(403);
      expect(r.status?.message).toMatch(
        /^Strata denied Pod\/team\/web: PSS-privileged: Privileged containers: privileged \(container "app" must not set securityContext\.privileged=true\); PSS-allowPrivilegeEscalation: /,
      );
      expect(r.status?.message).not.toContain('\n');
    });
  });

  describe.each(KINDS)('a %s', (kind) => {
    it('with a privileged container is judged on its pod template', async () => {
      const out = await run({ kind, object: privileged(kind) }, 'podSecurity: { workloads: enforce }');
      expect(out.kind).toBe(kind);
      expect(out.decision).toBe('deny');
      expect(out.review.response.status?.message).toContain('PSS-privileged');
    });

    it('with a hardened template is allowed', async () => {
      const out = await run({ kind, object: workload(kind, podSpec()) });
      expect(out.review.response.allowed).toBe(true);
      expect(out.review.response.warnings).toBeUndefined();
    });

    it('with a hostPath of the Docker socket is denied by STRATA-K8S-017 (CRITICAL)', async () => {
      const spec = { ...podSpec(), volumes: [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }] };
      const out = await run({ kind, object: workload(kind, spec) }, 'podSecurity: { level: privileged }');
      expect(out.review.response.status?.message).toMatch(/STRATA-K8S-017: Sensitive host path mounted/);
    });
  });

  describe('workload kinds under Pod Security Admission rules (podSecurity.workloads: warn)', () => {
    it('warn on PSS violations instead of denying, as PSA does for pod controllers', async () => {
      const out = await run({ kind: 'Deployment', object: privileged('Deployment') });
      expect(out.review.response.allowed).toBe(true);
      expect(out.review.response.warnings).toContainEqual(
        'strata: PSS-privileged: Privileged containers: privileged (container "app" must not set securityContext.privileged=true)',
      );
    });
  });

  describe('pods/ephemeralcontainers', () => {
    it('judges the pod with its new ephemeral container', async () => {
      const old = workload('Pod', podSpec());
      const spec = {
        ...podSpec(),
        ephemeralContainers: [{ name: 'debug', image: 'busybox', securityContext: PRIVILEGED }],
      };
      const out = await run({
        operation: 'UPDATE',
        subResource: 'ephemeralcontainers',
        oldObject: old,
        object: workload('Pod', spec),
      });
      expect(out.review.response.status?.message).toMatch(/PSS-privileged: .*container "debug"/);
    });
  });

  describe('requests that are not judged', () => {
    it.each([
      ['DELETE', { operation: 'DELETE' as const, object: null, oldObject: privileged() }],
      ['CONNECT', { operation: 'CONNECT' as const }],
      [
        'a ConfigMap',
        { kind: 'ConfigMap', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } },
      ],
      ['pods/status', { subResource: 'status', object: privileged() }],
      ['a Deployment scale', { kind: 'Deployment', subResource: 'scale', object: privileged('Deployment') }],
    ])('%s is allowed without a check', async (_name, init) => {
      const out = await run(init);
      expect(out.decision).toBe('skip');
      expect(out.review.response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
    });
  });

  describe('UPDATE', () => {
    it('that changes only labels of a privileged pod is allowed without re-judging', async () => {
      const old = privileged();
      const object = { ...old, metadata: { name: 'web', namespace: 'team', labels: { v: '2' } } };
      const out = await run({ operation: 'UPDATE', object, oldObject: old });
      expect(out.decision).toBe('skip');
    });

    it('that changes an image is judged like a CREATE', async () => {
      const old = privileged();
      const object = workload('Pod', podSpec('127.0.0.1:5000/app:v2', PRIVILEGED));
      const out = await run({ operation: 'UPDATE', object, oldObject: old });
      expect(out.decision).toBe('deny');
    });

    it('that changes a securityContext is judged like a CREATE', async () => {
      const old = workload('Pod', podSpec());
      const out = await run({ operation: 'UPDATE', object: privileged(), oldObject: old });
      expect(out.decision).toBe('deny');
    });

    it('of a Deployment that changes its template is judged; one that changes replicas is not', async () => {
      const old = privileged('Deployment');
      const scaled = { ...old, spec: { ...(old.spec as object), replicas: 5 } };
      expect(
        (await run({ kind: 'Deployment', operation: 'UPDATE', object: scaled, oldObject: old })).decision,
      ).toBe('skip');
      const changed = workload('Deployment', podSpec('127.0.0.1:5000/app:v3', PRIVILEGED));
      const out = await run(
        { kind: 'Deployment', operation: 'UPDATE', object: changed, oldObject: old },
        'podSecurity: { workloads: enforce }',
      );
      expect(out.decision).toBe('deny');
    });
  });

  describe('mode', () => {
    it('warn: allowed, every denial as a warning', async () => {
      const out = await run({ object: privileged() }, 'mode: warn');
      expect(out.review.response.allowed).toBe(true);
      expect(out.review.response.status).toBeUndefined();
      expect(out.review.response.warnings).toContain(
        'strata: PSS-privileged: Privileged containers: privileged (container "app" must not set securityContext.privileged=true)',
      );
      expect(out.review.response.auditAnnotations?.decision).toBe('allow (warn mode)');
    });

    it('audit: allowed, the findings in auditAnnotations only', async () => {
      const out = await run({ object: privileged() }, 'mode: audit\npodSecurity: { level: baseline }');
      expect(out.review.response.allowed).toBe(true);
      expect(out.review.response.warnings).toBeUndefined();
      expect(out.review.response.auditAnnotations).toEqual({
        decision: 'allow (audit mode)',
        findings:
          'PSS-privileged: Privileged containers: privileged (container "app" must not set securityContext.privileged=true)',
      });
    });
  });

  describe('Pod Security labels of the namespace', () => {
    const labels = (l: Record<string, string>) => ({ labels: { team: l } });

    it('enforce=privileged lets a privileged pod in', async () => {
      const out = await run(
        { object: privileged() },
        '',
        labels({ 'pod-security.kubernetes.io/enforce': 'privileged' }),
      );
      expect(out.review.response.allowed).toBe(true);
    });

    it('enforce=baseline denies privileged but not a missing runAsNonRoot; warn=restricted warns about it', async () => {
      const spec = podSpec(undefined, PRIVILEGED);
      delete (spec as { securityContext?: unknown }).securityContext;
      const out = await run(
        { object: workload('Pod', spec) },
        '',
        labels({
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/warn': 'restricted',
        }),
      );
      const r = out.review.response;
      expect(r.status?.message).toContain('PSS-privileged');
      expect(r.status?.message).not.toContain('PSS-runAsNonRoot');
      expect(r.warnings?.some((w) => w.startsWith('strata: PSS-runAsNonRoot:'))).toBe(true);
      expect(r.warnings?.some((w) => w.includes('PSS-privileged'))).toBe(false);
    });

    it('enforce-version selects the policy version: restricted requires drop ALL from v1.22 on', async () => {
      const spec = podSpec(undefined, { allowPrivilegeEscalation: false });
      const at = (version: string) =>
        run(
          { object: workload('Pod', spec) },
          '',
          labels({
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': version,
          }),
        );
      expect((await at('v1.21')).review.response.allowed).toBe(true);
      expect((await at('v1.22')).review.response.status?.message).toContain('PSS-capabilities_restricted');
    });

    it('a bad enforce label falls back to restricted and is named in auditAnnotations', async () => {
      const spec = podSpec();
      delete (spec as { securityContext?: unknown }).securityContext;
      const out = await run(
        { object: workload('Pod', spec) },
        'podSecurity: { level: privileged }',
        labels({ 'pod-security.kubernetes.io/enforce': 'strict' }),
      );
      expect(out.review.response.status?.message).toContain('PSS-runAsNonRoot');
      expect(out.review.response.auditAnnotations?.['pod-security-error']).toBe(
        'pod-security.kubernetes.io/enforce: "strict": must be one of privileged, baseline, restricted',
      );
    });
  });

  describe('exemptions', () => {
    it.each([
      ['namespace', '{ namespaces: [team], reason: migration }', {}],
      ['user', '{ users: [alice] }', {}],
      ['group', '{ groups: ["system:masters"] }', { groups: ['system:masters'] }],
    ])('by %s let the request through, naming the exemption for the audit log', async (_n, entry, init) => {
      const out = await run({ object: privileged(), ...init }, `exemptions:\n  - ${entry}`);
      expect(out.decision).toBe('exempt');
      expect(out.review.response.allowed).toBe(true);
      expect(out.review.response.auditAnnotations?.exemption).toBeTruthy();
    });

    it('that expired no longer apply', async () => {
      const out = await run(
        { object: privileged() },
        'exemptions:\n  - { namespaces: [team], expires: "2026-01-01", reason: x }',
        {
          now: () => new Date('2026-01-01T00:00:01Z'),
        },
      );
      expect(out.decision).toBe('deny');
    });

    it('apply until the day they expire', async () => {
      const out = await run(
        { object: privileged() },
        'exemptions:\n  - { namespaces: [team], expires: "2026-01-01" }',
        {
          now: () => new Date('2025-12-31T23:59:59Z'),
        },
      );
      expect(out.decision).toBe('exempt');
    });

    it('by image spare only the image checks of matching images', async () => {
      const yaml =
        'images: { allowedRegistries: ["127.0.0.1:5000"] }\nexemptions:\n  - { images: ["docker.io/legacy/**"], reason: old }';
      const spec = {
        ...podSpec('legacy/app:1'),
        initContainers: [
          {
            name: 'i',
            image: 'quay.io/x/y:1',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      };
      const out = await run({ object: workload('Pod', spec) }, yaml);
      const msg = out.review.response.status?.message ?? '';
      expect(msg).toContain(
        'STRATA-ADM-001: image registry not allowed (image "quay.io/x/y:1" is not from an allowed registry (127.0.0.1:5000))',
      );
      expect(msg).not.toContain('legacy');
      expect(out.review.response.auditAnnotations?.['exempted-images']).toBe('legacy/app:1');
    });
  });

  describe('dryRun', () => {
    it('is judged all the same', async () => {
      const out = await run({ object: privileged(), dryRun: true });
      expect(out.decision).toBe('deny');
    });
  });

  describe('rules.denySeverity', () => {
    it('MEDIUM also denies a container without limits (STRATA-K8S-001)', async () => {
      const spec = podSpec();
      const c = (spec.containers as Record<string, unknown>[])[0] as Record<string, unknown>;
      delete c.resources;
      const out = await run({ object: workload('Pod', spec) }, 'rules: { denySeverity: MEDIUM }');
      expect(out.review.response.status?.message).toContain('STRATA-K8S-001');
    });
  });

  describe('failure behaviour', () => {
    const hanging: NamespaceSource = {
      labels: (_ns, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }).then(() => undefined),
    };

    it('a namespace lookup that does not finish denies under failurePolicy fail, within the timeout', async () => {
      const started = Date.now();
      let timeouts = 0;
      const out = await run({}, 'timeoutSeconds: 1', { namespaces: hanging, onTimeout: () => timeouts++ });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(out.review.response.status?.message).toBe(
        'Strata denied Pod/team/web: STRATA-ADM-003: reading namespace team did not finish within 1s (failurePolicy fail)',
      );
      expect(timeouts).toBe(1);
    });

    it('failurePolicy ignore allows with a warning saying why', async () => {
      const out = await run({}, 'timeoutSeconds: 1\nfailurePolicy: ignore', { namespaces: hanging });
      expect(out.review.response.allowed).toBe(true);
      expect(out.review.response.warnings).toEqual([
        'strata: STRATA-ADM-003: reading namespace team did not finish within 1s (failurePolicy ignore)',
      ]);
    });
  });

  describe('the vulnerability gate', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const image = `127.0.0.1:5000/app@${digest}`;
    const finding = (id: string, severity: string, fixedVersion?: string) => ({
      id,
      kind: 'vulnerability',
      severity,
      title: `${id} in openssl`,
      package: { name: 'openssl', version: '3.0.1', purl: 'pkg:deb/debian/openssl@3.0.1' },
      ...(fixedVersion ? { fixedVersion } : {}),
      location: {},
      evidence: {},
    });
    const result = {
      findings: [
        finding('CVE-2024-1', 'CRITICAL', '3.0.2'),
        finding('CVE-2024-2', 'CRITICAL'),
        finding('CVE-2024-3', 'HIGH', '3.0.2'),
      ],
    } as unknown as ScanResult;
    const yaml = 'images: { vulnerabilities: { denySeverity: CRITICAL, ignoreUnfixed: true } }';

    it('denies on findings at or above denySeverity (fixed ones only with ignoreUnfixed) and scans a digest once', async () => {
      let scans = 0;
      const p = policy(yaml);
      const images = new ImageChecks(p.images, {
        scan: async () => {
          scans++;
          return result;
        },
      });
      const review = admissionReview({ object: workload('Pod', podSpec(image)) });
      const first = await reviewAdmission(review, p, deps(p, { images }));
      const second = await reviewAdmission(review, p, deps(p, { images }));
      expect(first.review.response.status?.message).toBe(
        `Strata denied Pod/team/web: CVE-2024-1: CRITICAL in openssl 3.0.1, fixed in 3.0.2 [${image}]`,
      );
      expect(second.review).toEqual(first.review);
      expect(scans).toBe(1);
    });

    it('a scan that misses the timeout answers per failurePolicy, and fills the cache for the next request', async () => {
      const p = policy(`${yaml}\ntimeoutSeconds: 1`);
      let release: (r: ScanResult) => void = () => undefined;
      const images = new ImageChecks(p.images, { scan: () => new Promise((r) => (release = r)) });
      const review = admissionReview({ object: workload('Pod', podSpec(image)) });
      const first = await reviewAdmission(review, p, deps(p, { images }));
      expect(first.review.response.status?.message).toBe(
        `Strata denied Pod/team/web: STRATA-ADM-003: scanning ${image} did not finish within 1s (failurePolicy fail)`,
      );
      release(result);
      await new Promise((r) => setTimeout(r, 10));
      const second = await reviewAdmission(review, p, deps(p, { images }));
      expect(second.review.response.status?.message).toContain('CVE-2024-1');
    });
  });
});
