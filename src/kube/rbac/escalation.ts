import { type RbacFinding, rbacFinding } from '../../core/finding/index.js';
import type { Authorizer } from './authorizer.js';
import { CAPABILITIES, type CapabilityName, type Probe, probeRequest } from './capabilities.js';
import { formatSubject, identityOf } from './identity.js';
import { ruleAllows } from './match.js';
import { bindingRef, cmp, roleRefOf } from './refs.js';
import { STRUCTURAL_RISKS } from './risk-rules.js';
import { isSystemSubject } from './risks.js';
import type { Binding, PolicyRule, Request, Role, Subject } from './types.js';

/** What a chain ends in, strongest first. */
const GOALS: readonly { name: CapabilityName; what: string }[] = [
  { name: 'everything', what: 'every permission cluster-wide (cluster-admin equivalent)' },
  { name: 'escalate', what: 'escalate roles cluster-wide' },
  { name: 'bind', what: 'bind any role cluster-wide' },
  { name: 'impersonate', what: 'impersonate users, groups or service accounts cluster-wide' },
  { name: 'readSecrets', what: 'read secrets cluster-wide' },
];

/** Longest chain followed, in steps between subjects. */
export const MAX_STEPS = 4;

interface Step {
  readonly from: string;
  readonly to: string;
  readonly action: string;
  readonly binding: string;
  readonly role: string;
}

type Node = { readonly key: string; readonly subject: Subject };

const key = (s: Subject) => formatSubject(s);

/**
 * The fixed requests the search asks, numbered once: a role's answers to all of them are one bit
 * mask, computed once per role (not per subject, namespace and request). The namespace of a
 * request never changes whether a rule matches (only which bindings count), and the probes name
 * no object, so a role's answer holds for every subject bound to it, in every namespace.
 */
const WORKLOADS: readonly Probe[] = CAPABILITIES.createWorkloads.flat();
const TOKEN: Probe = { verb: 'create', resource: 'serviceaccounts/token' };
const IMPERSONATE_SA: Probe = { verb: 'impersonate', resource: 'serviceaccounts' };
const GOAL_GROUPS: readonly { name: CapabilityName; groups: readonly (readonly number[])[] }[] = [];
const PROBES: Request[] = WORKLOADS.map((p) => probeRequest(p));
const WORKLOAD_BITS = (1 << WORKLOADS.length) - 1;
const TOKEN_BIT = PROBES.push(probeRequest(TOKEN)) - 1;
const IMPERSONATE_BIT = PROBES.push(probeRequest(IMPERSONATE_SA)) - 1;
for (const goal of GOALS) {
  const groups = CAPABILITIES[goal.name].map((group) => group.map((p) => PROBES.push(probeRequest(p)) - 1));
  (GOAL_GROUPS as { name: CapabilityName; groups: number[][] }[]).push({ name: goal.name, groups });
}
if (PROBES.length > 31) throw new Error('escalation: too many probes for one bit mask');

/** Could a rule allow the request for some object name (its resourceNames ignored)? */
const mayAllow = (rule: PolicyRule, req: Request) =>
  ruleAllows(rule.resourceNames.length ? { ...rule, resourceNames: [] } : rule, req);

/** What one role answers: a bit per probe, and the names it allows for tokens and impersonation. */
class RoleAnswers {
  /** bit i: some rule allows PROBES[i] (no object name) */
  readonly mask: number;
  /** some rule could allow creating a token / impersonating for some service account name */
  readonly mayToken: boolean;
  readonly mayImpersonate: boolean;
  private readonly tokenRules: readonly PolicyRule[];
  private readonly impersonateRules: readonly PolicyRule[];

  constructor(role: Role) {
    let mask = 0;
    PROBES.forEach((req, i) => {
      if (role.rules.some((r) => ruleAllows(r, req))) mask |= 1 << i;
    });
    this.mask = mask;
    this.tokenRules = role.rules.filter((r) => mayAllow(r, PROBES[TOKEN_BIT] as Request));
    this.impersonateRules = role.rules.filter((r) => mayAllow(r, PROBES[IMPERSONATE_BIT] as Request));
    this.mayToken = this.tokenRules.length > 0;
    this.mayImpersonate = this.impersonateRules.length > 0;
  }

  /** Does the role allow creating a token for (or impersonating) the named service account? */
  allowsNamed(which: 'token' | 'impersonate', name: string): boolean {
    const rules = which === 'token' ? this.tokenRules : this.impersonateRules;
    return rules.some((r) => r.resourceNames.length === 0 || r.resourceNames.includes(name));
  }
}

/** A binding that grants something, with its role's answers. */
interface Held {
  readonly binding: Binding;
  readonly answers: RoleAnswers;
}

/**
 * For a list of bindings (in the order the authorizer visits them), the first binding whose role
 * allows each probe, and the union of the masks.
 */
class FirstAllowing {
  readonly first: (Binding | undefined)[] = new Array(PROBES.length);
  readonly mask: number = 0;
  readonly mayToken: boolean = false;
  readonly mayImpersonate: boolean = false;

  constructor(readonly held: readonly Held[]) {
    let mask = 0;
    let token = false;
    let imp = false;
    for (const h of held) {
      const fresh = h.answers.mask & ~mask;
      if (fresh) for (let i = 0; i < PROBES.length; i++) if (fresh & (1 << i)) this.first[i] = h.binding;
      mask |= h.answers.mask;
      token ||= h.answers.mayToken;
      imp ||= h.answers.mayImpersonate;
    }
    this.mask = mask;
    this.mayToken = token;
    this.mayImpersonate = imp;
  }
}

const NONE = new FirstAllowing([]);

/** One subject's grants: ClusterRoleBindings (everywhere), and RoleBindings by namespace. */
interface SubjectGrants {
  readonly cluster: FirstAllowing;
  readonly namespaced: ReadonlyMap<string, FirstAllowing>;
}

/** The first workload kind the bindings allow (ClusterRoleBindings first), and the binding. */
function firstWorkload(
  cluster: FirstAllowing,
  local: FirstAllowing,
): { probe: number; binding: Binding } | undefined {
  if (((cluster.mask | local.mask) & WORKLOAD_BITS) === 0) return undefined;
  for (let i = 0; i < WORKLOADS.length; i++) {
    const binding = cluster.first[i] ?? local.first[i];
    if (binding) return { probe: i, binding };
  }
  return undefined;
}

/** An edge "from can become a service account of a namespace", its evidence kept as references. */
interface Edge {
  readonly from: Node;
  readonly binding: Binding;
  /** 'pods': can create WORKLOADS[probe] in the namespace; else by name */
  readonly how: 'pods' | 'token' | 'impersonate';
  readonly probe: number;
  readonly namespace: string;
}

class Graph {
  private readonly answers = new Map<Role, RoleAnswers>();
  private readonly grantsOf = new Map<string, SubjectGrants>();
  readonly nodes = new Map<string, Node>();
  /** per namespace: every node that can create workloads there (it becomes any of its service accounts) */
  readonly podsIn = new Map<string, Edge[]>();
  /**
   * the nodes whose ClusterRoleBindings let them create workloads: they reach every service
   * account of every namespace (one edge each, its namespace the target's), except in the
   * namespaces listed in `own`, where a RoleBinding allows an earlier workload kind (podsIn holds
   * that edge)
   */
  readonly podsEverywhere: { readonly edge: Edge; readonly own: ReadonlySet<string> }[] = [];
  /** per service account key: the nodes that can get its token or impersonate it, by name */
  readonly named = new Map<string, Edge[]>();
  /** per service account key: the namespaces whose accounts carry that key (one, unless names hold ':') */
  readonly targets = new Map<string, string[]>();

  constructor(private readonly authz: Authorizer) {}

  node(subject: Subject): Node {
    const k = key(subject);
    const known = this.nodes.get(k);
    if (known) return known;
    const n = { key: k, subject };
    this.nodes.set(k, n);
    return n;
  }

  private roleAnswers(role: Role): RoleAnswers {
    let a = this.answers.get(role);
    if (!a) {
      a = new RoleAnswers(role);
      this.answers.set(role, a);
    }
    return a;
  }

  /** Every grant of a node, ClusterRoleBindings first (one index lookup per node, once). */
  grants(n: Node): SubjectGrants {
    const known = this.grantsOf.get(n.key);
    if (known) return known;
    const cluster: Held[] = [];
    const byNs = new Map<string, Held[]>();
    for (const binding of this.authz.bindingsFor(identityOf(n.subject))) {
      const role = this.authz.roleOf(binding);
      if (!role || role.rules.length === 0) continue;
      const held = { binding, answers: this.roleAnswers(role) };
      if (binding.kind === 'ClusterRoleBinding') cluster.push(held);
      else if (binding.namespace) {
        const list = byNs.get(binding.namespace);
        if (list) list.push(held);
        else byNs.set(binding.namespace, [held]);
      }
    }
    const g: SubjectGrants = {
      cluster: cluster.length ? new FirstAllowing(cluster) : NONE,
      namespaced: new Map([...byNs].map(([ns, list]) => [ns, new FirstAllowing(list)])),
    };
    this.grantsOf.set(n.key, g);
    return g;
  }

  /** The goals a node holds cluster-wide (ClusterRoleBindings only). */
  holds(n: Node): Set<CapabilityName> {
    const { mask } = this.grants(n).cluster;
    return new Set(
      GOAL_GROUPS.filter((g) => g.groups.every((group) => group.some((i) => mask & (1 << i)))).map(
        (g) => g.name,
      ),
    );
  }

  /**
   * The edges out of a node: in each namespace, the first workload it can create (the first
   * binding allowing it; ClusterRoleBindings before RoleBindings) makes it every service account
   * there; else a token for, or impersonation of, a service account by name.
   */
  addEdges(n: Node): void {
    const { cluster, namespaced } = this.grants(n);
    const accountsOf = this.authz.model.serviceAccounts;
    const addPods = (ns: string, pods: { probe: number; binding: Binding }) => {
      const list = this.podsIn.get(ns);
      const edge: Edge = { from: n, binding: pods.binding, how: 'pods', probe: pods.probe, namespace: ns };
      if (list) list.push(edge);
      else this.podsIn.set(ns, [edge]);
    };
    const everywhere = firstWorkload(cluster, NONE);
    if (everywhere) {
      // the same edge in every namespace, but where a RoleBinding allows an earlier workload kind
      const own = new Set<string>();
      for (const [ns, local] of namespaced) {
        if (!accountsOf.has(ns)) continue;
        const pods = firstWorkload(cluster, local) as { probe: number; binding: Binding };
        if (pods.probe === everywhere.probe) continue;
        own.add(ns);
        addPods(ns, pods);
      }
      const edge: Edge = {
        from: n,
        binding: everywhere.binding,
        how: 'pods',
        probe: everywhere.probe,
        namespace: '',
      };
      this.podsEverywhere.push({ edge, own });
      return;
    }
    // without a cluster-wide way in, only the namespaces of its RoleBindings can lead anywhere
    const anyName = cluster.mayToken || cluster.mayImpersonate;
    for (const ns of anyName ? accountsOf.keys() : namespaced.keys()) {
      const accounts = accountsOf.get(ns);
      if (!accounts) continue;
      const local = namespaced.get(ns) ?? NONE;
      const pods = firstWorkload(cluster, local);
      if (pods) {
        addPods(ns, pods);
        continue;
      }
      const token = cluster.mayToken || local.mayToken;
      const imp = cluster.mayImpersonate || local.mayImpersonate;
      if (!token && !imp) continue;
      const first = (which: 'token' | 'impersonate', name: string): Binding | undefined => {
        for (const h of cluster.held) if (h.answers.allowsNamed(which, name)) return h.binding;
        for (const h of local.held) if (h.answers.allowsNamed(which, name)) return h.binding;
        return undefined;
      };
      for (const name of accounts) {
        const saKey = key({ kind: 'ServiceAccount', namespace: ns, name });
        if (saKey === n.key) continue;
        let how: Edge['how'] = 'token';
        let binding = token ? first('token', name) : undefined;
        if (!binding && imp) {
          how = 'impersonate';
          binding = first('impersonate', name);
        }
        if (!binding) continue;
        const edge: Edge = { from: n, binding, how, probe: -1, namespace: ns };
        const list = this.named.get(saKey);
        if (list) list.push(edge);
        else this.named.set(saKey, [edge]);
      }
    }
  }

  /** Every service account of the model as a node, and the keys edges can lead to. */
  addAccounts(): void {
    for (const [namespace, names] of this.authz.model.serviceAccounts) {
      for (const name of names) {
        const k = this.node({ kind: 'ServiceAccount', namespace, name }).key;
        const list = this.targets.get(k);
        if (!list) this.targets.set(k, [namespace]);
        else if (!list.includes(namespace)) list.push(namespace);
      }
    }
  }
}

/** The edge a node's chain starts with, the subject it leads to, and the namespace of that subject. */
interface Toward {
  readonly edge: Edge;
  readonly to: string;
  readonly namespace: string;
}

/** The step an edge into `to` stands for, with the wording of the finding. */
function stepOf({ edge, to, namespace }: Toward): Step {
  const action =
    edge.how === 'pods'
      ? `can create ${WORKLOADS[edge.probe]?.resource} in namespace ${namespace}, and a pod there can run as ${to}`
      : edge.how === 'token'
        ? `can create a token for ${to}`
        : `can impersonate ${to}`;
  return {
    from: edge.from.key,
    to,
    action,
    binding: bindingRef(edge.binding),
    role: roleRefOf(edge.binding),
  };
}

/**
 * Escalation paths: from every subject the input binds, through "can create pods / tokens /
 * impersonate in namespace X -> becomes a service account of X" (at most MAX_STEPS steps), to a
 * subject holding a cluster-wide goal (cluster-admin, escalate, bind, impersonate, read secrets)
 * that the start does not hold itself. One finding per start subject, for its strongest such
 * goal, along a shortest chain, each step its evidence.
 *
 * Each role is matched against the fixed probes once (a bit mask); each subject's bindings are
 * looked up once and folded into "first binding allowing each probe", cluster-wide and per
 * namespace. Creating workloads in a namespace reaches every service account there, so those
 * edges are kept once per (subject, namespace), not per service account — and once per subject
 * when a ClusterRoleBinding allows it (every namespace alike, but where a RoleBinding allows an
 * earlier workload kind) — and the search (breadth-first, backwards from the holders of each
 * goal, frontier in key order) follows them once per namespace, or once. A chain's first step toward a goal is the edge to the smallest-keyed
 * subject of the previous layer, as a search over every edge would find it.
 */
export function escalationFindings(authz: Authorizer): RbacFinding[] {
  const graph = new Graph(authz);
  const starts = new Map<string, { node: Node; binding: (typeof authz.model.bindings)[number] }>();
  for (const b of authz.model.bindings) {
    if (b.bootstrap) continue;
    for (const s of b.subjects) {
      if (isSystemSubject(s) || (s.kind === 'ServiceAccount' && !s.namespace)) continue;
      const node = graph.node(s);
      if (!starts.has(node.key)) starts.set(node.key, { node, binding: b });
    }
  }
  graph.addAccounts();
  const nodes = [...graph.nodes.values()].sort((a, b) => cmp(a.key, b.key));
  for (const n of nodes) graph.addEdges(n);
  const holds = new Map(nodes.map((n) => [n.key, graph.holds(n)]));

  // per goal: the edge from each node along a shortest chain to a holder of the goal (null: a holder)
  const next = new Map<CapabilityName, Map<string, Toward | null>>();
  for (const goal of GOALS) {
    const toward = new Map<string, Toward | null>();
    const podsDone = new Set<string>();
    let everywhereDone = false;
    let frontier = nodes.filter((n) => holds.get(n.key)?.has(goal.name)).map((n) => n.key);
    for (const k of frontier) toward.set(k, null);
    for (let depth = 0; depth < MAX_STEPS && frontier.length; depth++) {
      const more: string[] = [];
      const reach = (edge: Edge, to: string, namespace: string) => {
        if (toward.has(edge.from.key)) return;
        toward.set(edge.from.key, { edge, to, namespace });
        more.push(edge.from.key);
      };
      for (const k of frontier) {
        for (const ns of graph.targets.get(k) ?? []) {
          // every node that can create workloads in ns reaches k; the first k of ns claims them all
          if (podsDone.has(ns)) continue;
          podsDone.add(ns);
          for (const edge of graph.podsIn.get(ns) ?? []) if (edge.from.key !== k) reach(edge, k, ns);
          // and the first k of any namespace claims those that can create workloads everywhere
          if (everywhereDone) continue;
          everywhereDone = true;
          for (const { edge, own } of graph.podsEverywhere)
            if (!own.has(ns) && edge.from.key !== k) reach(edge, k, ns);
        }
        for (const edge of graph.named.get(k) ?? []) reach(edge, k, edge.namespace);
      }
      frontier = more.sort();
    }
    next.set(goal.name, toward);
  }
  const out: RbacFinding[] = [];
  for (const { node: start, binding } of [...starts.values()].sort((a, b) => cmp(a.node.key, b.node.key))) {
    const own = holds.get(start.key) ?? new Set();
    const goal = GOALS.find((g) => !own.has(g.name) && next.get(g.name)?.get(start.key));
    if (!goal) continue;
    const toward = next.get(goal.name) as Map<string, Toward | null>;
    const steps: Step[] = [];
    for (let s = toward.get(start.key); s; s = toward.get(s.to)) steps.push(stepOf(s));
    const reaches = steps.at(-1)?.to as string;
    const gained = GOALS.filter((g) => !own.has(g.name) && holds.get(reaches)?.has(g.name)).map(
      (g) => g.name,
    );
    out.push(
      rbacFinding({
        id: STRUCTURAL_RISKS.escalationPath.id,
        severity: goal.name === 'readSecrets' ? 'HIGH' : 'CRITICAL',
        title: `${start.key} can escalate to ${goal.what} in ${steps.length} step${steps.length > 1 ? 's' : ''} via ${reaches}`,
        location: { path: binding.source.file, line: binding.source.line, resource: bindingRef(binding) },
        evidence: {
          subject: start.key,
          reaches,
          goals: gained,
          steps: steps.map((s, i) => ({ step: i + 1, ...s })),
        },
        references: [
          'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks',
        ],
      }),
    );
  }
  return out;
}
