import type { AdmissionReviewRequest } from '../review/schema.js';

type Obj = Record<string, unknown>;

const GROUPS: Readonly<Record<string, readonly [group: string, resource: string]>> = {
  Pod: ['', 'pods'],
  ReplicationController: ['', 'replicationcontrollers'],
  PodTemplate: ['', 'podtemplates'],
  Deployment: ['apps', 'deployments'],
  ReplicaSet: ['apps', 'replicasets'],
  StatefulSet: ['apps', 'statefulsets'],
  DaemonSet: ['apps', 'daemonsets'],
  Job: ['batch', 'jobs'],
  CronJob: ['batch', 'cronjobs'],
  Namespace: ['', 'namespaces'],
  ConfigMap: ['', 'configmaps'],
};

export interface ReviewInit {
  readonly kind?: string;
  readonly operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  readonly namespace?: string;
  readonly name?: string;
  readonly object?: Obj | null;
  readonly oldObject?: Obj | null;
  readonly username?: string;
  readonly groups?: readonly string[];
  readonly subResource?: string;
  readonly dryRun?: boolean;
  readonly uid?: string;
}

/** A pod spec with one container of `image`, hardened to pass PSS restricted unless `securityContext` says otherwise. */
export function podSpec(image = '127.0.0.1:5000/app@sha256:' + 'a'.repeat(64), securityContext?: Obj): Obj {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        image,
        securityContext: securityContext ?? {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: true,
        },
        resources: { limits: { cpu: '1', memory: '128Mi' }, requests: { cpu: '1', memory: '128Mi' } },
      },
    ],
  };
}

/** The object of `kind` carrying `spec` as its pod (template). */
export function workload(kind: string, spec: Obj, name = 'web', namespace = 'team'): Obj {
  const metadata = { name, namespace };
  const template = { metadata: { labels: { app: name } }, spec };
  const apiVersion = GROUPS[kind]?.[0] ? `${GROUPS[kind]?.[0]}/v1` : 'v1';
  switch (kind) {
    case 'Pod':
      return { apiVersion, kind, metadata, spec };
    case 'PodTemplate':
      return { apiVersion, kind, metadata, template };
    case 'CronJob':
      return {
        apiVersion,
        kind,
        metadata,
        spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } },
      };
    default:
      return { apiVersion, kind, metadata, spec: { selector: { matchLabels: { app: name } }, template } };
  }
}

/** An admission.k8s.io/v1 AdmissionReview request as the API server sends it. */
export function admissionReview(init: ReviewInit = {}): AdmissionReviewRequest {
  const kind = init.kind ?? 'Pod';
  const [group, resource] = GROUPS[kind] ?? ['', kind.toLowerCase()];
  const namespace = init.namespace ?? 'team';
  const object =
    init.object === undefined ? workload(kind, podSpec(), init.name ?? 'web', namespace) : init.object;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: init.uid ?? '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group, version: 'v1', kind },
      resource: { group, version: 'v1', resource },
      ...(init.subResource ? { subResource: init.subResource } : {}),
      name: init.name ?? 'web',
      namespace,
      operation: init.operation ?? 'CREATE',
      userInfo: {
        username: init.username ?? 'alice',
        groups: [...(init.groups ?? ['system:authenticated'])],
      },
      object,
      oldObject: init.oldObject ?? null,
      dryRun: init.dryRun ?? false,
    },
  };
}
