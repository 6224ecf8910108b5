import { arr, bool, type Obj, obj, objs, str } from '../view.js';
import { isMutableTag, splitImage } from './image-ref.js';
import { CIS_K8S, K8S_SECURITY_CHECKLIST, NSA_K8S } from './refs.js';
import type { RuleHit, WorkloadRule } from './types.js';

const at = (
  c: { path: readonly (string | number)[] },
  base: readonly (string | number)[],
  ...rest: string[]
) => [...base, ...c.path, ...rest];
const secretName = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key)/i;

function resourceHits(kind: 'limits' | 'requests', container: Obj): string[] {
  const block = obj(obj(container, 'resources'), kind);
  return ['cpu', 'memory'].filter((r) => block?.[r] === undefined);
}

export const CONTAINER_RULES: readonly WorkloadRule[] = [
  {
    id: 'STRATA-K8S-001',
    severity: 'MEDIUM',
    title: 'Container has no CPU or memory limit',
    rationale:
      'Without limits one container can exhaust the node (noisy neighbour, denial of service of co-located pods).',
    remediation: 'Set resources.limits.cpu and resources.limits.memory on every container.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Resource policies'],
    references: [NSA_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        if (c.kind === 'ephemeralContainers') return [];
        const missing = resourceHits('limits', c.container);
        return missing.length
          ? [
              {
                path: at(c, pod.specPath, 'resources'),
                message: `container "${c.name}" has no ${missing.join('/')} limit`,
              },
            ]
          : [];
      },
    },
  },
  {
    id: 'STRATA-K8S-002',
    severity: 'LOW',
    title: 'Container has no CPU or memory request',
    rationale:
      'Without requests the scheduler cannot place pods safely and eviction under pressure is unpredictable.',
    remediation: 'Set resources.requests.cpu and resources.requests.memory on every container.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Resource policies'],
    references: [NSA_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        if (c.kind === 'ephemeralContainers') return [];
        const missing = resourceHits('requests', c.container);
        return missing.length
          ? [
              {
                path: at(c, pod.specPath, 'resources'),
                message: `container "${c.name}" has no ${missing.join('/')} request`,
              },
            ]
          : [];
      },
    },
  },
  {
    id: 'STRATA-K8S-003',
    severity: 'MEDIUM',
    title: 'Image uses the latest tag or no tag',
    rationale:
      'A mutable tag makes deployments unreproducible and lets a pushed image silently replace the reviewed one.',
    remediation: 'Use an explicit version tag, or better a digest (image@sha256:...).',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Image scanning'],
    references: [NSA_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const image = str(c.container, 'image');
        if (!image || !isMutableTag(image)) return [];
        const tag = splitImage(image).tag;
        return [
          {
            path: at(c, pod.specPath, 'image'),
            message: `container "${c.name}" image "${image}" ${tag ? 'uses the latest tag' : 'has no tag'}`,
          },
        ];
      },
    },
  },
  {
    id: 'STRATA-K8S-004',
    severity: 'LOW',
    title: 'Image is not pinned by digest',
    rationale:
      'Tags can be moved; only a digest guarantees the image that runs is the one that was scanned and signed.',
    remediation: 'Reference images by digest (registry/repo:tag@sha256:...).',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Image scanning'],
    references: [NSA_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const image = str(c.container, 'image');
        if (!image || splitImage(image).digest || isMutableTag(image)) return [];
        return [
          {
            path: at(c, pod.specPath, 'image'),
            message: `container "${c.name}" image "${image}" is not pinned by digest`,
          },
        ];
      },
    },
  },
  {
    id: 'STRATA-K8S-005',
    severity: 'LOW',
    title: 'Mutable image tag without imagePullPolicy Always',
    rationale:
      'With a mutable tag and IfNotPresent or Never, nodes run whatever stale image they cached, differently per node.',
    remediation: 'Pin the image to a version or digest, or set imagePullPolicy: Always.',
    benchmarks: [],
    references: ['https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy'],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const image = str(c.container, 'image');
        const policy = str(c.container, 'imagePullPolicy');
        if (!image || !isMutableTag(image) || policy === '' || policy === 'Always') return [];
        return [
          {
            path: at(c, pod.specPath, 'imagePullPolicy'),
            message: `container "${c.name}" pulls mutable image "${image}" with imagePullPolicy ${policy}`,
          },
        ];
      },
    },
  },
  {
    id: 'STRATA-K8S-006',
    severity: 'LOW',
    title: 'Container has no liveness probe',
    rationale: 'Without a liveness probe a hung process is never restarted.',
    remediation: 'Add a livenessProbe to long-running containers.',
    benchmarks: [],
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
    ],
    target: {
      scope: 'container',
      check: (c, pod, r) =>
        c.kind !== 'containers' ||
        r.kind === 'Job' ||
        r.kind === 'CronJob' ||
        obj(c.container, 'livenessProbe')
          ? []
          : [{ path: at(c, pod.specPath), message: `container "${c.name}" has no livenessProbe` }],
    },
  },
  {
    id: 'STRATA-K8S-007',
    severity: 'LOW',
    title: 'Container has no readiness probe',
    rationale:
      'Without a readiness probe traffic reaches the container before it can serve, and during failures.',
    remediation: 'Add a readinessProbe to containers that serve traffic.',
    benchmarks: [],
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
    ],
    target: {
      scope: 'container',
      check: (c, pod, r) =>
        c.kind !== 'containers' ||
        r.kind === 'Job' ||
        r.kind === 'CronJob' ||
        obj(c.container, 'readinessProbe')
          ? []
          : [{ path: at(c, pod.specPath), message: `container "${c.name}" has no readinessProbe` }],
    },
  },
  {
    id: 'STRATA-K8S-008',
    severity: 'MEDIUM',
    title: 'Secret passed in an environment variable',
    rationale:
      'Environment variables leak through logs, crash dumps, child processes and `kubectl describe`; files are safer.',
    remediation: 'Mount the secret as a volume (optionally read-only, with defaultMode 0400) instead of env.',
    benchmarks: ['CIS Kubernetes Benchmark 5.4.1 (prefer secrets as files over environment variables)'],
    references: [CIS_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const hits: RuleHit[] = [];
        objs(c.container, 'env').forEach((env, i) => {
          if (obj(obj(env, 'valueFrom'), 'secretKeyRef')) {
            hits.push({
              path: [...pod.specPath, ...c.path, 'env', i],
              message: `container "${c.name}" reads secret into env ${str(env, 'name')}`,
            });
          }
        });
        objs(c.container, 'envFrom').forEach((src, i) => {
          if (obj(src, 'secretRef')) {
            hits.push({
              path: [...pod.specPath, ...c.path, 'envFrom', i],
              message: `container "${c.name}" loads secret "${str(obj(src, 'secretRef'), 'name')}" into env`,
            });
          }
        });
        return hits;
      },
    },
  },
  {
    id: 'STRATA-K8S-009',
    severity: 'HIGH',
    title: 'Hard-coded credential in an environment variable',
    rationale:
      'A literal password or token in a manifest is readable by anyone with the repository or read access to the workload.',
    remediation: 'Store the value in a Secret (or an external secret store) and mount it as a file.',
    benchmarks: [
      'CIS Kubernetes Benchmark 5.4.2 (external secret storage)',
      'NSA-CISA Kubernetes Hardening Guidance: Secrets',
    ],
    references: [CIS_K8S, NSA_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const hits: RuleHit[] = [];
        objs(c.container, 'env').forEach((env, i) => {
          const value = str(env, 'value');
          if (secretName.test(str(env, 'name')) && value.length >= 4 && !/^\$\(.*\)$/.test(value)) {
            hits.push({
              path: [...pod.specPath, ...c.path, 'env', i, 'value'],
              message: `container "${c.name}" sets ${str(env, 'name')} to a literal value`,
            });
          }
        });
        return hits;
      },
    },
  },
  {
    id: 'STRATA-K8S-010',
    severity: 'LOW',
    title: 'Root filesystem is writable',
    rationale:
      'A writable root filesystem lets an attacker drop tools and persist changes inside the container.',
    remediation:
      'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where writes are needed.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Immutable container file systems'],
    references: [NSA_K8S],
    target: {
      scope: 'container',
      check: (c, pod) =>
        c.kind === 'ephemeralContainers' ||
        bool(obj(c.container, 'securityContext'), 'readOnlyRootFilesystem') === true
          ? []
          : [
              {
                path: at(c, pod.specPath, 'securityContext', 'readOnlyRootFilesystem'),
                message: `container "${c.name}" does not set readOnlyRootFilesystem: true`,
              },
            ],
    },
  },
  {
    id: 'STRATA-K8S-011',
    severity: 'LOW',
    title: 'Container runs with a low user id',
    rationale: 'UIDs below 10000 may collide with privileged users of the host if the container escapes.',
    remediation: 'Run as a high UID (>= 10000) via securityContext.runAsUser.',
    benchmarks: [],
    references: [K8S_SECURITY_CHECKLIST],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const own = obj(c.container, 'securityContext')?.runAsUser;
        const uid = typeof own === 'number' ? own : obj(pod.spec, 'securityContext')?.runAsUser;
        if (typeof uid !== 'number' || uid === 0 || uid >= 10000) return [];
        const path =
          typeof own === 'number'
            ? at(c, pod.specPath, 'securityContext', 'runAsUser')
            : [...pod.specPath, 'securityContext', 'runAsUser'];
        return [{ path, message: `container "${c.name}" runs as UID ${uid}` }];
      },
    },
  },
  {
    id: 'STRATA-K8S-012',
    severity: 'LOW',
    title: 'Container runs with the root group',
    rationale: 'GID 0 grants access to files owned by the root group on shared volumes and the host.',
    remediation: 'Set securityContext.runAsGroup to a non-zero group.',
    benchmarks: [],
    references: [K8S_SECURITY_CHECKLIST],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const own = obj(c.container, 'securityContext')?.runAsGroup;
        const pods = obj(pod.spec, 'securityContext')?.runAsGroup;
        if (own === 0)
          return [
            {
              path: at(c, pod.specPath, 'securityContext', 'runAsGroup'),
              message: `container "${c.name}" sets runAsGroup: 0`,
            },
          ];
        if (own === undefined && pods === 0) {
          return [
            {
              path: [...pod.specPath, 'securityContext', 'runAsGroup'],
              message: `container "${c.name}" inherits runAsGroup: 0`,
            },
          ];
        }
        return [];
      },
    },
  },
  {
    id: 'STRATA-K8S-013',
    severity: 'MEDIUM',
    title: 'Container exposes SSH',
    rationale:
      'An SSH server in a container is an unmanaged entry point that bypasses Kubernetes access control and audit.',
    remediation: 'Remove the SSH server; use kubectl exec or ephemeral debug containers.',
    benchmarks: [],
    references: [K8S_SECURITY_CHECKLIST],
    target: {
      scope: 'container',
      check: (c, pod) =>
        objs(c.container, 'ports').flatMap((p, i) =>
          p.containerPort === 22
            ? [
                {
                  path: [...pod.specPath, ...c.path, 'ports', i, 'containerPort'],
                  message: `container "${c.name}" exposes port 22`,
                },
              ]
            : [],
        ),
    },
  },
  {
    id: 'STRATA-K8S-014',
    severity: 'MEDIUM',
    title: 'hostPath volume mounted writable',
    rationale:
      'A writable host mount lets the container change node files, a common path to node compromise.',
    remediation: 'Mount hostPath volumes with readOnly: true, or avoid hostPath.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Pod security'],
    references: [NSA_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const hostVolumes = new Set(
          objs(pod.spec, 'volumes')
            .filter((v) => obj(v, 'hostPath'))
            .map((v) => str(v, 'name')),
        );
        return objs(c.container, 'volumeMounts').flatMap((m, i) =>
          hostVolumes.has(str(m, 'name')) && bool(m, 'readOnly') !== true
            ? [
                {
                  path: [...pod.specPath, ...c.path, 'volumeMounts', i],
                  message: `container "${c.name}" mounts hostPath volume "${str(m, 'name')}" writable at ${str(m, 'mountPath')}`,
                },
              ]
            : [],
        );
      },
    },
  },
  {
    id: 'STRATA-K8S-015',
    severity: 'LOW',
    title: 'Image has no registry host',
    rationale:
      'An image without a registry host resolves to Docker Hub (or a node-configured mirror), an implicit trust decision.',
    remediation:
      'Name the registry explicitly (registry.example.com/team/app:1.2.3) and allow only trusted registries.',
    benchmarks: ['NSA-CISA Kubernetes Hardening Guidance: Image scanning'],
    references: [NSA_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const image = str(c.container, 'image');
        return image && !splitImage(image).hasRegistry
          ? [
              {
                path: at(c, pod.specPath, 'image'),
                message: `container "${c.name}" image "${image}" names no registry`,
              },
            ]
          : [];
      },
    },
  },
  {
    id: 'STRATA-K8S-016',
    severity: 'HIGH',
    title: 'Container adds a dangerous capability',
    rationale:
      'SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH and BPF each allow container escape or host tampering.',
    remediation:
      'Drop ALL capabilities and add back only what the process needs (usually none, or NET_BIND_SERVICE).',
    benchmarks: ['CIS Kubernetes Benchmark 5.2 (Pod Security Standards: capabilities)'],
    references: [CIS_K8S],
    target: {
      scope: 'container',
      check: (c, pod) => {
        const added = arr(obj(obj(c.container, 'securityContext'), 'capabilities'), 'add').map(String);
        const bad = added.filter((cap) =>
          ['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'BPF', 'ALL'].includes(
            cap.toUpperCase().replace(/^CAP_/, ''),
          ),
        );
        return bad.length
          ? [
              {
                path: at(c, pod.specPath, 'securityContext', 'capabilities', 'add'),
                message: `container "${c.name}" adds ${bad.join(', ')}`,
              },
            ]
          : [];
      },
    },
  },
];
