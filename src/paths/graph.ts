/**
 * The attack graph: internet -> entry (Service, Ingress, HTTPRoute, hostPort/hostNetwork) ->
 * workload with an exploitable image -> (lateral: workload -> workload over flows the
 * NetworkPolicy engine allows, each also exploitable) -> a goal: the node (escape-grade pod
 * privileges) or the service account's RBAC (cluster-admin, escalate/bind/impersonate, secrets,
 * pod create/exec), as the authorizer model and the escalation analysis answer. Every edge is a
 * fact one of the engines states; each path records why each hop holds and how to break it.
 */
import type { AttackHop, AttackHopKind, Finding } from '../core/index.js';
import {
  type Authorizer,
  ClassEngine,
  type Cluster,
  evaluate,
  formatSubject,
  identityOf,
  type KubeResource,
  type PodInfo,
  type Protocol,
  parseCluster,
  type Request,
  type RuleMatch,
  type SideVerdict,
} from '../kube/index.js';
import {
  exploitable,
  readRoutes,
  readServices,
  readWorkloads,
  type ServiceFact,
  type Workload,
} from './facts.js';

/** The fact a hop depends on: removing it (tests) or fixing it removes the path. */
export type Enabler =
  | { readonly type: 'entry'; readonly ref: string }
  /** `policies`: the NetworkPolicies (`ns/name`) whose ingress rules admit it (empty: no policy isolates the destination) */
  | {
      readonly type: 'flow';
      readonly from: string;
      readonly to: string;
      readonly policies: readonly string[];
    }
  | { readonly type: 'vulns'; readonly workload: string }
  | { readonly type: 'privileges'; readonly workload: string }
  | { readonly type: 'automount'; readonly workload: string }
  | { readonly type: 'grants'; readonly subject: string; readonly bindings: readonly string[] };

export interface Hop extends AttackHop {
  /** how to break this hop */
  readonly fix?: string;
  readonly cost?: number;
  readonly enabler?: Enabler;
}

export type Goal =
  | 'cluster-admin'
  | 'escalate'
  | 'bind'
  | 'impersonate'
  | 'secrets (cluster-wide)'
  | 'node'
  | 'secrets (namespace)'
  | 'pods (namespace)';

export interface AttackPath {
  readonly hops: readonly Hop[];
  readonly goal: Goal;
  readonly goalText: string;
  readonly score: number;
  /** the hop whose fix is cheapest, and that fix */
  readonly fix: { readonly hop: number; readonly action: string; readonly cost: number };
  /** the entry workload's resource, for the finding's location */
  readonly entry: Workload;
  readonly target: Workload;
}

export interface PathOptions {
  /** lateral workload -> workload hops followed at most (default 2) */
  readonly maxLateral?: number;
  /** ingress-controller and gateway pods, by `Kind/namespace/name` (default: guessed from labels) */
  readonly controllers?: readonly string[];
  /** the RBAC escalation findings (`rbac` kind, escalation evidence) of the same snapshot */
  readonly escalations?: readonly Finding[];
}

const GOAL_WEIGHT: Record<Goal, number> = {
  'cluster-admin': 10,
  node: 9.5,
  escalate: 9.2,
  bind: 9.2,
  impersonate: 9.2,
  'secrets (cluster-wide)': 9,
  'secrets (namespace)': 7,
  'pods (namespace)': 6,
};

const PUBLIC_PROBE = '8.8.8.8';

const req = (verb: string, resource: string, namespace: string, group = ''): Request => {
  const [res, sub] = resource.split('/');
  return {
    type: 'resource',
    verb,
    apiGroup: group,
    resource: res ?? resource,
    subresource: sub ?? '',
    namespace,
    name: '',
  };
};

const RBAC = 'rbac.authorization.k8s.io';

/** Permission goals, strongest first; each a list of alternative requests, `cluster` = cluster-wide only. */
const PERMISSION_GOALS: readonly {
  goal: Goal;
  text: string;
  cluster: boolean;
  requests: (ns: string) => Request[];
}[] = [
  {
    goal: 'cluster-admin',
    text: 'every permission cluster-wide (cluster-admin)',
    cluster: true,
    requests: () => [req('*', '*', '', '*')],
  },
  {
    goal: 'escalate',
    text: 'escalate any ClusterRole',
    cluster: true,
    requests: () => [req('escalate', 'clusterroles', '', RBAC)],
  },
  {
    goal: 'bind',
    text: 'bind any ClusterRole',
    cluster: true,
    requests: () => [req('bind', 'clusterroles', '', RBAC)],
  },
  {
    goal: 'impersonate',
    text: 'impersonate users, groups or service accounts',
    cluster: true,
    requests: () => ['users', 'groups', 'serviceaccounts'].map((r) => req('impersonate', r, '')),
  },
  {
    goal: 'secrets (cluster-wide)',
    text: 'read every Secret of the cluster',
    cluster: true,
    requests: () => ['get', 'list', 'watch'].map((v) => req(v, 'secrets', '')),
  },
  {
    goal: 'secrets (namespace)',
    text: 'read the Secrets of its namespace',
    cluster: false,
    requests: (ns) => ['get', 'list', 'watch'].map((v) => req(v, 'secrets', ns)),
  },
  {
    goal: 'pods (namespace)',
    text: 'create pods or exec into pods of its namespace',
    cluster: false,
    requests: (ns) => [
      req('create', 'pods', ns),
      req('create', 'pods/exec', ns),
      req('get', 'pods/exec', ns),
    ],
  },
];

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Everything the search needs, built once. */
export class AttackGraph {
  readonly cluster: Cluster;
  readonly engine: ClassEngine;
  readonly workloads: readonly Workload[];
  readonly services: readonly ServiceFact[];
  private readonly byPod = new Map<PodInfo, Workload>();
  /** classes of the ingress-controller and gateway pods */
  readonly controllerClasses: number[];

  constructor(
    resources: readonly KubeResource[],
    imageFindings: readonly Finding[],
    readonly authorizer: Authorizer | undefined,
    readonly options: PathOptions = {},
  ) {
    this.cluster = parseCluster(resources).cluster;
    this.engine = new ClassEngine(this.cluster);
    this.workloads = readWorkloads(resources, this.cluster.pods, exploitable(imageFindings));
    for (const w of this.workloads) this.byPod.set(w.pod, w);
    this.services = readServices(resources);
    this.routes = readRoutes(resources);
    const isController = (w: Workload) =>
      options.controllers
        ? options.controllers.includes(w.ref)
        : /ingress|gateway|traefik|envoy|contour|haproxy|istio-ingress/i.test(
            `${w.namespace} ${Object.values(w.pod.labels).join(' ')}`,
          );
    this.controllerClasses = [...new Set(this.workloads.filter(isController).map((w) => this.classOf(w)))];
  }

  readonly routes: ReturnType<typeof readRoutes>;

  classOf(w: Workload): number {
    return this.engine.classOf.get(w.pod)!;
  }

  selects(svc: ServiceFact, w: Workload): boolean {
    if (!svc.selector || svc.namespace !== w.namespace) return false;
    return Object.entries(svc.selector).every(([k, v]) => w.pod.labels[k] === v);
  }

  /** The port a Service port lands on in a workload's pods (named target ports resolved on the pod). */
  targetPort(p: ServiceFact['ports'][number], w: Workload): number | undefined {
    if (p.targetPort === undefined) return p.port;
    if (typeof p.targetPort === 'number') return p.targetPort;
    if (/^\d+$/.test(p.targetPort)) return Number(p.targetPort);
    return w.pod.ports.find((cp) => cp.name === p.targetPort && cp.protocol === p.protocol)?.port;
  }

  /** Why the destination's ingress side admits a connection, in words (the engine's verdict). */
  ingressWhy(side: SideVerdict, dst: Workload): string {
    if (!side.isolated) return `no NetworkPolicy selects ${dst.ref} for ingress`;
    return side.rules.map((r) => ruleText(r)).join('; ');
  }
}

function ruleText(r: RuleMatch): string {
  return `NetworkPolicy ${r.policy} rule ${r.rule} (${r.file}:${r.ruleLine})${r.peer === null ? ' admits every peer' : ` peer ${r.peer}`}${r.portEntry === null ? ' on every port' : ` port entry ${r.portEntry}`}`;
}

interface Entry {
  readonly hops: Hop[];
  readonly workload: Workload;
  readonly weight: number;
}

const portText = (port: number, protocol: string) => `${port}/${protocol}`;

/** Whether public addresses may open `port` on the workload, and the engine's reason. */
interface Admitted {
  readonly why: string;
  readonly policies: readonly string[];
}

const policiesOf = (side: SideVerdict): string[] =>
  [...new Set((side.rules.length > 0 ? side.rules : side.policies).map((r) => r.policy))].sort();

function internetAdmits(g: AttackGraph, w: Workload, port: number, protocol: string): Admitted | undefined {
  const cls = g.classOf(w);
  const proto = protocol as Protocol;
  if (!g.engine.internet('ingress', cls).has(proto, port)) return undefined;
  if (!g.engine.isIsolated('ingress', cls))
    return { why: `no NetworkPolicy selects ${w.ref} for ingress`, policies: [] };
  const v = evaluate(g.cluster, {
    src: { kind: 'external', ip: PUBLIC_PROBE },
    dst: { kind: 'pod', pod: w.pod },
    port,
    protocol: proto,
  });
  return {
    why: v.ingress.allowed
      ? g.ingressWhy(v.ingress, w)
      : `a NetworkPolicy ingress rule selecting ${w.ref} admits public addresses on ${portText(port, protocol)}`,
    policies: policiesOf(v.ingress),
  };
}

/** Whether an in-cluster ingress controller / gateway (or, when none is in the snapshot, any pod of another namespace) may reach the port. */
function controllerAdmits(g: AttackGraph, w: Workload, port: number, protocol: string): Admitted | undefined {
  const cls = g.classOf(w);
  const proto = protocol as Protocol;
  if (!g.engine.isIsolated('ingress', cls))
    return { why: `no NetworkPolicy selects ${w.ref} for ingress`, policies: [] };
  const ctrl = g.controllerClasses;
  const candidates =
    ctrl.length > 0 ? ctrl : g.engine.classes.filter((c) => c.namespace !== w.namespace).map((c) => c.id);
  for (const c of candidates) {
    if (!g.engine.allowed(c, cls).has(proto, port)) continue;
    const pod = g.engine.classes[c]!.members[0];
    if (!pod) continue;
    const v = evaluate(g.cluster, {
      src: { kind: 'pod', pod },
      dst: { kind: 'pod', pod: w.pod },
      port,
      protocol: proto,
    });
    if (v.allowed)
      return {
        why: `${g.ingressWhy(v.ingress, w)} (from ${pod.kind}/${pod.namespace}/${pod.name})`,
        policies: policiesOf(v.ingress),
      };
  }
  return internetAdmits(g, w, port, protocol);
}

function entryFix(w: Workload, port: string): string {
  return `add a NetworkPolicy in ${w.namespace} selecting ${w.ref}'s pods that denies ingress from outside the cluster on ${port}`;
}

/** The routes from the internet to each workload. */
function entries(g: AttackGraph): Entry[] {
  const out: Entry[] = [];
  const internet: Hop = { kind: 'internet', ref: 'internet', why: 'any address outside the cluster' };
  for (const svc of g.services) {
    const external = svc.type === 'LoadBalancer' || svc.type === 'NodePort' || svc.externalIPs.length > 0;
    if (!external) continue;
    for (const w of g.workloads) {
      if (!g.selects(svc, w)) continue;
      for (const p of svc.ports) {
        const port = g.targetPort(p, w);
        if (port === undefined) continue;
        const admitted = internetAdmits(g, w, port, p.protocol);
        if (!admitted) continue;
        const how =
          svc.type === 'LoadBalancer'
            ? `type LoadBalancer${svc.loadBalancerIngress.length ? ` (${svc.loadBalancerIngress.join(', ')})` : ''} port ${p.port}`
            : svc.type === 'NodePort'
              ? `type NodePort ${p.nodePort ?? '(allocated)'} on every node`
              : `externalIPs ${svc.externalIPs.join(', ')} port ${p.port}`;
        out.push({
          workload: w,
          weight: 1,
          hops: [
            internet,
            {
              kind: 'service',
              ref: svc.ref,
              why: `${how} -> targetPort ${portText(port, p.protocol)}, selector ${Object.entries(
                svc.selector ?? {},
              )
                .map(([k, v]) => `${k}=${v}`)
                .join(',')}`,
              enabler: { type: 'entry', ref: svc.ref },
              fix:
                svc.type === 'ClusterIP'
                  ? `remove externalIPs from ${svc.ref}`
                  : `make ${svc.ref} type ClusterIP`,
              cost: 4,
            },
            {
              kind: 'workload',
              ref: w.ref,
              why: admitted.why,
              enabler: { type: 'flow', from: 'internet', to: w.ref, policies: admitted.policies },
              fix: entryFix(w, portText(port, p.protocol)),
              cost: 2,
            },
          ],
        });
        break;
      }
    }
  }
  for (const route of g.routes) {
    const svc = g.services.find((s) => s.namespace === route.serviceNamespace && s.name === route.service);
    if (!svc) continue;
    for (const w of g.workloads) {
      if (!g.selects(svc, w)) continue;
      const sp =
        route.port === undefined
          ? svc.ports[0]
          : svc.ports.find((p) => p.port === route.port || p.name === route.port);
      if (!sp) continue;
      const port = g.targetPort(sp, w);
      if (port === undefined) continue;
      const admitted = controllerAdmits(g, w, port, sp.protocol);
      if (!admitted) continue;
      out.push({
        workload: w,
        weight: 1,
        hops: [
          internet,
          {
            kind: 'service',
            ref: route.ref,
            why: `${route.ref.split('/')[0]} routes ${route.route} to ${svc.ref} port ${sp.port}`,
            enabler: { type: 'entry', ref: route.ref },
            fix: `remove the rule for ${route.route} from ${route.ref}`,
            cost: 4,
          },
          {
            kind: 'workload',
            ref: w.ref,
            why: `${svc.ref} selects it; targetPort ${portText(port, sp.protocol)}: ${admitted.why}`,
            enabler: { type: 'flow', from: 'internet', to: w.ref, policies: admitted.policies },
            fix: entryFix(w, portText(port, sp.protocol)),
            cost: 2,
          },
        ],
      });
    }
  }
  for (const w of g.workloads) {
    if (w.hostNetwork) {
      out.push({
        workload: w,
        weight: 0.95,
        hops: [
          internet,
          {
            kind: 'workload',
            ref: `${w.ref} (hostNetwork)`,
            why: "hostNetwork: true: it listens on the node's own addresses, where NetworkPolicy does not apply",
            enabler: { type: 'entry', ref: `${w.ref}#hostNetwork` },
            fix: `remove hostNetwork: true from ${w.ref}`,
            cost: 2,
          },
        ],
      });
      continue;
    }
    for (const hp of w.hostPorts) {
      const admitted = internetAdmits(g, w, hp.port, hp.protocol);
      if (!admitted) continue;
      out.push({
        workload: w,
        weight: 0.95,
        hops: [
          internet,
          {
            kind: 'workload',
            ref: `${w.ref} (hostPort ${portText(hp.port, hp.protocol)})`,
            why: `container ${hp.container} hostPort ${portText(hp.port, hp.protocol)} on its node; ${admitted.why}`,
            enabler: { type: 'entry', ref: `${w.ref}#hostPort` },
            fix: `remove hostPort ${hp.port} from container ${hp.container}`,
            cost: 2,
          },
        ],
      });
      break;
    }
  }
  return out;
}

function vulnHop(w: Workload): { hop: Hop; factor: number } | undefined {
  if (w.vulns.length === 0) return undefined;
  const top = w.vulns[0]!;
  const fixable = w.vulns.every((v) => v.fixedVersion);
  const bumps = new Map<string, string>();
  for (const v of w.vulns) {
    if (!v.fixedVersion) continue;
    const prev = bumps.get(v.pkg);
    // the highest fixed version of the package's advisories (text order is enough to pick one here)
    if (!prev || prev < v.fixedVersion) bumps.set(v.pkg, v.fixedVersion);
  }
  const more = w.vulns.length - 1;
  const factor =
    (top.severity === 'CRITICAL' ? 1 : 0.85) * (top.fixedVersion ? 1 : 0.9) * (top.network ? 1 : 0.85);
  return {
    factor,
    hop: {
      kind: 'vulnerability',
      ref: `${top.id} ${top.pkg}@${top.version}`,
      why: `${top.severity} ${top.id} in ${top.type} package ${top.pkg} ${top.version}${top.fixedVersion ? ` (fixed in ${top.fixedVersion})` : ' (no fix yet)'}${top.image ? `, image ${top.image}` : ''}${top.container ? ` (container ${top.container})` : ''}${top.network ? ', a network-reachable package' : ''}${more > 0 ? `; ${more} more CRITICAL/HIGH` : ''}`,
      enabler: { type: 'vulns', workload: w.ref },
      ...(fixable
        ? {
            fix: `bump ${[...bumps].map(([p, v]) => `${p} to ${v}`).join(', ')} in the image of ${w.ref}`,
            cost: bumps.size,
          }
        : {}),
    },
  };
}

function privilegeHop(w: Workload): Hop | undefined {
  if (w.privileges.length === 0) return undefined;
  return {
    kind: 'privilege',
    ref: `${w.ref} ${w.privileges[0]!.field}`,
    why: w.privileges.map((p) => p.why).join('; '),
    enabler: { type: 'privileges', workload: w.ref },
    fix: w.privileges.map((p) => p.fix).join('; '),
    cost: 1.5 * w.privileges.length,
  };
}

interface PermissionReach {
  readonly goal: Goal;
  readonly text: string;
  readonly hop: Hop;
}

/** The strongest RBAC goal the workload's service account reaches: its own grants, or an escalation chain. */
function permissionOf(g: AttackGraph, w: Workload): PermissionReach | undefined {
  const authz = g.authorizer;
  if (!authz) return undefined;
  const subject = { kind: 'ServiceAccount' as const, namespace: w.namespace, name: w.serviceAccount };
  const identity = identityOf(subject);
  const key = formatSubject(subject);
  let best: PermissionReach | undefined;
  for (const pg of PERMISSION_GOALS) {
    const ns = pg.cluster ? '' : w.namespace;
    const grants = pg.requests(ns).flatMap((r) => authz.authorize(identity, r));
    if (grants.length === 0) continue;
    const bindings = [...new Set(grants.map((x) => bindingName(x.binding)))];
    const first = grants[0]!;
    best = {
      goal: pg.goal,
      text: pg.text,
      hop: {
        kind: 'permission',
        ref: `${bindingName(first.binding)} -> ${roleName(first.binding)}`,
        why: `${bindings.join(', ')} grant${bindings.length === 1 ? 's' : ''} ${key} ${pg.text} (${roleName(first.binding)} rule ${first.ruleIndex}: ${first.rule.verbs.join(',')} ${first.rule.resources.join(',')})`,
        enabler: { type: 'grants', subject: key, bindings },
        fix: `remove ${key} from ${bindings.join(', ')}`,
        cost: 3 * bindings.length,
      },
    };
    break;
  }
  const esc = (g.options.escalations ?? []).find(
    (f) => f.kind === 'rbac' && 'steps' in f.evidence && f.evidence.subject === key,
  );
  if (esc && esc.kind === 'rbac' && 'steps' in esc.evidence) {
    const ev = esc.evidence;
    const goal: Goal = ev.goals.includes('everything')
      ? 'cluster-admin'
      : ev.goals.includes('escalate')
        ? 'escalate'
        : ev.goals.includes('bind')
          ? 'bind'
          : ev.goals.includes('impersonate')
            ? 'impersonate'
            : 'secrets (cluster-wide)';
    if (!best || GOAL_WEIGHT[goal] > GOAL_WEIGHT[best.goal]) {
      const bindings = [...new Set(ev.steps.map((s) => s.binding))];
      best = {
        goal,
        text: `${esc.title}`,
        hop: {
          kind: 'permission',
          ref: `${key} -> ${ev.reaches}`,
          why: ev.steps.map((s) => `${s.from} ${s.action} (${s.binding} -> ${s.role})`).join('; then '),
          enabler: { type: 'grants', subject: key, bindings },
          fix: `remove ${key} from ${bindings[0]}`,
          cost: 3,
        },
      };
    }
  }
  return best;
}

const bindingName = (b: { kind: string; name: string; namespace?: string }) =>
  b.namespace ? `${b.kind}/${b.namespace}/${b.name}` : `${b.kind}/${b.name}`;
const roleName = (b: { namespace?: string; roleRef: { kind: string; name: string } }) =>
  b.roleRef.kind === 'Role' ? `Role/${b.namespace ?? ''}/${b.roleRef.name}` : `ClusterRole/${b.roleRef.name}`;

/** The ports a flow from `src` to `dst` may use, and one concrete port to explain it with. */
function flowPort(
  g: AttackGraph,
  src: Workload,
  dst: Workload,
): { port: number; protocol: Protocol } | undefined {
  const allowed = g.engine.allowed(g.classOf(src), g.classOf(dst));
  if (allowed.isEmpty()) return undefined;
  if (dst.pod.ports.length > 0) {
    const p = dst.pod.ports.find((cp) => allowed.has(cp.protocol, cp.port));
    return p ? { port: p.port, protocol: p.protocol } : undefined;
  }
  for (const proto of ['TCP', 'UDP', 'SCTP'] as const) {
    const first = allowed.intervals(proto)[0];
    if (first) return { port: first[0], protocol: proto };
  }
  return undefined;
}

function flowHop(g: AttackGraph, src: Workload, dst: Workload, port: number, protocol: Protocol): Hop {
  const v = evaluate(g.cluster, {
    src: { kind: 'pod', pod: src.pod },
    dst: { kind: 'pod', pod: dst.pod },
    port,
    protocol,
  });
  const egress = v.egress.isolated
    ? v.egress.rules.map(ruleText).join('; ')
    : `no NetworkPolicy selects ${src.ref} for egress`;
  return {
    kind: 'workload',
    ref: dst.ref,
    why: `${src.ref} may open ${portText(port, protocol)}: egress: ${egress}; ingress: ${g.ingressWhy(v.ingress, dst)}`,
    enabler: { type: 'flow', from: src.ref, to: dst.ref, policies: policiesOf(v.ingress) },
    fix: `add a NetworkPolicy in ${dst.namespace} selecting ${dst.ref}'s pods that denies ingress from ${src.ref}`,
    cost: 2,
  };
}

function cheapest(hops: readonly Hop[]): AttackPath['fix'] {
  let best: AttackPath['fix'] | undefined;
  hops.forEach((h, i) => {
    if (h.fix === undefined || h.cost === undefined) return;
    if (!best || h.cost < best.cost) best = { hop: i, action: h.fix, cost: h.cost };
  });
  return best ?? { hop: 0, action: 'no single change breaks it', cost: Number.POSITIVE_INFINITY };
}

/** Goals of a compromised workload, each with the hops that reach it. */
function goalsOf(g: AttackGraph, w: Workload): { goal: Goal; text: string; hops: Hop[] }[] {
  const out: { goal: Goal; text: string; hops: Hop[] }[] = [];
  const priv = privilegeHop(w);
  if (priv)
    out.push({
      goal: 'node',
      text: "root on the node: every Secret mounted by the node's pods, the kubelet's credentials",
      hops: [priv],
    });
  if (w.automount.mounted) {
    const perm = permissionOf(g, w);
    if (perm) {
      out.push({
        goal: perm.goal,
        text: perm.text,
        hops: [
          {
            kind: 'serviceaccount',
            ref: `ServiceAccount/${w.namespace}/${w.serviceAccount}`,
            why: `its token is mounted in the pod: ${w.automount.why}`,
            enabler: { type: 'automount', workload: w.ref },
            fix: `set automountServiceAccountToken: false on ${w.ref}`,
            cost: 1.5,
          },
          perm.hop,
        ],
      });
    }
  }
  return out;
}

/**
 * Every attack path: for each route in from the internet to an exploitable workload, that
 * workload's goals; then, breadth first over allowed flows (at most `maxLateral` hops), the goals
 * of each exploitable workload reached, along the shortest chain found. Ranked by score.
 */
export function findPaths(g: AttackGraph): AttackPath[] {
  const maxLateral = g.options.maxLateral ?? 2;
  const paths: AttackPath[] = [];
  const emit = (chain: Hop[], factor: number, entry: Workload, target: Workload) => {
    for (const goal of goalsOf(g, target)) {
      const hops = [...chain, ...goal.hops];
      paths.push({
        hops,
        goal: goal.goal,
        goalText: goal.text,
        score: round1(GOAL_WEIGHT[goal.goal] * factor),
        fix: cheapest(hops),
        entry,
        target,
      });
    }
  };
  // chains to compromised workloads: the shortest found (BFS by lateral depth)
  const reached = new Map<string, { chain: Hop[]; factor: number; entry: Workload }>();
  let frontier: { w: Workload; chain: Hop[]; factor: number; entry: Workload }[] = [];
  for (const e of entries(g)) {
    const v = vulnHop(e.workload);
    if (!v) continue;
    const chain = [...e.hops, v.hop];
    const factor = e.weight * v.factor * (e.workload.rootWritable ? 1 : 0.97);
    emit(chain, factor, e.workload, e.workload);
    if (!reached.has(e.workload.ref)) {
      reached.set(e.workload.ref, { chain, factor, entry: e.workload });
      frontier.push({ w: e.workload, chain, factor, entry: e.workload });
    }
  }
  const exploitableWorkloads = g.workloads.filter((w) => w.vulns.length > 0);
  for (let depth = 0; depth < maxLateral && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const src of frontier) {
      for (const dst of exploitableWorkloads) {
        if (reached.has(dst.ref)) continue;
        const fp = flowPort(g, src.w, dst);
        if (!fp) continue;
        const v = vulnHop(dst)!;
        const chain = [...src.chain, flowHop(g, src.w, dst, fp.port, fp.protocol), v.hop];
        const factor = src.factor * 0.9 * v.factor;
        reached.set(dst.ref, { chain, factor, entry: src.entry });
        next.push({ w: dst, chain, factor, entry: src.entry });
        emit(chain, factor, src.entry, dst);
      }
    }
    frontier = next;
  }
  return paths.sort(
    (a, b) =>
      b.score - a.score ||
      a.fix.cost - b.fix.cost ||
      a.hops.length - b.hops.length ||
      signature(a).localeCompare(signature(b)),
  );
}

/** A path's identity: its hop kinds and refs, in order. */
export function signature(p: Pick<AttackPath, 'hops' | 'goal'>): string {
  return `${p.hops.map((h) => `${h.kind}:${h.ref}`).join(' > ')} => ${p.goal}`;
}

export type { AttackHopKind };
