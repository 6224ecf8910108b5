import { type RbacFinding, rbacFinding } from '../../../core/finding/index.js';
import type { Authorizer } from '../authorizer.js';
import { CAPABILITIES, type Capability, type CapabilityName, probeRequest } from '../capabilities.js';
import { formatSubject, identityOf } from '../identity.js';
import { ruleAllows } from '../match.js';
import { bindingRef, cmp, roleRefOf } from '../refs.js';
import { STRUCTURAL_RISKS } from '../risk-rules.js';
import { isSystemSubject } from '../risks.js';
import type { Grant, Identity, Request, Subject } from '../types.js';

// The escalation search as it was before issue 19 (every edge materialised, every rule scanned
// for every question): kept, unchanged, as the reference the differential test compares the
// indexed search of ../escalation.ts with, on seeded random RBAC sets. Tests only.

/** What a chain ends in, strongest first. */
const GOALS: readonly { name: CapabilityName; what: string }[] = [
  { name: 'everything', what: 'every permission cluster-wide (cluster-admin equivalent)' },
  { name: 'escalate', what: 'escalate roles cluster-wide' },
  { name: 'bind', what: 'bind any role cluster-wide' },
  { name: 'impersonate', what: 'impersonate users, groups or service accounts cluster-wide' },
  { name: 'readSecrets', what: 'read secrets cluster-wide' },
];

/** Longest chain followed, in steps between subjects. */
const MAX_STEPS = 4;

interface Step {
  readonly from: string;
  readonly to: string;
  readonly action: string;
  readonly binding: string;
  readonly role: string;
}

type Node = { readonly key: string; readonly subject: Subject };

const key = (s: Subject) => formatSubject(s);

class Graph {
  private readonly rules = new Map<string, Grant[]>();
  readonly nodes = new Map<string, Node>();
  readonly edges = new Map<string, Step[]>();

  constructor(private readonly authz: Authorizer) {}

  node(subject: Subject): Node {
    const k = key(subject);
    const known = this.nodes.get(k);
    if (known) return known;
    const n = { key: k, subject };
    this.nodes.set(k, n);
    return n;
  }

  /** Every grant of a node, ClusterRoleBindings first (one index lookup per node). */
  private all(n: Node): Grant[] {
    const known = this.rules.get(n.key);
    if (known) return known;
    const id: Identity = identityOf(n.subject);
    const g = this.authz.bindingsFor(id).flatMap((binding) => {
      const role = this.authz.roleOf(binding);
      return role ? role.rules.map((rule, ruleIndex) => ({ binding, role, rule, ruleIndex })) : [];
    });
    this.rules.set(n.key, g);
    return g;
  }

  private grants(n: Node, ns: string): Grant[] {
    return this.all(n).filter(
      (g) => g.binding.kind === 'ClusterRoleBinding' || (ns !== '' && g.binding.namespace === ns),
    );
  }

  /** The grant that allows a request to a node, if any. */
  allows(n: Node, req: Request): Grant | undefined {
    const ns = req.type === 'resource' ? req.namespace : '';
    return this.grants(n, ns).find((g) => ruleAllows(g.rule, req));
  }

  /** Could any rule allow this request for some object name (a cheap pre-check before per-name requests)? */
  mayAllow(n: Node, req: Request): boolean {
    const ns = req.type === 'resource' ? req.namespace : '';
    return this.grants(n, ns).some((g) =>
      ruleAllows(g.rule.resourceNames.length ? { ...g.rule, resourceNames: [] } : g.rule, req),
    );
  }

  has(n: Node, cap: Capability): boolean {
    return cap.every((group) => group.some((p) => this.allows(n, probeRequest(p)) !== undefined));
  }

  /** Steps out of a node: pods it can create (any service account of the namespace), tokens, impersonation. */
  successors(n: Node): Step[] {
    const cached = this.edges.get(n.key);
    if (cached) return cached;
    const out: Step[] = [];
    if (this.all(n).length === 0) {
      this.edges.set(n.key, out);
      return out;
    }
    const add = (to: Subject, action: string, g: Grant) => {
      out.push({
        from: n.key,
        to: this.node(to).key,
        action,
        binding: bindingRef(g.binding),
        role: roleRefOf(g.binding),
      });
    };
    for (const [ns, accounts] of this.authz.model.serviceAccounts) {
      const local = this.grants(n, ns);
      if (local.length === 0) continue;
      const pods = CAPABILITIES.createWorkloads
        .flat()
        .map((p) => {
          const req = probeRequest(p, ns);
          return { p, g: local.find((g) => ruleAllows(g.rule, req)) };
        })
        .find((x) => x.g);
      const tokenReq = probeRequest({ verb: 'create', resource: 'serviceaccounts/token' }, ns);
      const impReq = probeRequest({ verb: 'impersonate', resource: 'serviceaccounts' }, ns);
      const byName = this.mayAllow(n, tokenReq) || this.mayAllow(n, impReq);
      if (!pods?.g && !byName) continue;
      for (const name of accounts) {
        const sa: Subject = { kind: 'ServiceAccount', namespace: ns, name };
        if (key(sa) === n.key) continue;
        if (pods?.g) {
          add(
            sa,
            `can create ${pods.p.resource} in namespace ${ns}, and a pod there can run as ${key(sa)}`,
            pods.g,
          );
          continue;
        }
        const token = this.allows(n, { ...tokenReq, name });
        if (token) {
          add(sa, `can create a token for ${key(sa)}`, token);
          continue;
        }
        const imp = this.allows(n, { ...impReq, name });
        if (imp) add(sa, `can impersonate ${key(sa)}`, imp);
      }
    }
    out.sort((a, b) => cmp(a.to, b.to));
    this.edges.set(n.key, out);
    return out;
  }
}

/**
 * Escalation paths: from every subject the input binds, through "can create pods / tokens /
 * impersonate in namespace X -> becomes a service account of X" (at most MAX_STEPS steps), to a
 * subject holding a cluster-wide goal (cluster-admin, escalate, bind, impersonate, read secrets)
 * that the start does not hold itself. One finding per start subject, for its strongest such
 * goal, along a shortest chain, each step its evidence. The graph is built once and searched
 * backwards from the holders of each goal, so the cost does not grow with starts x graph size.
 */
export function referenceEscalationFindings(authz: Authorizer): RbacFinding[] {
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
  for (const [namespace, names] of authz.model.serviceAccounts) {
    for (const name of names) graph.node({ kind: 'ServiceAccount', namespace, name });
  }
  const nodes = [...graph.nodes.values()].sort((a, b) => cmp(a.key, b.key));
  const reverse = new Map<string, Step[]>();
  for (const n of nodes) {
    for (const step of graph.successors(n)) {
      const list = reverse.get(step.to);
      if (list) list.push(step);
      else reverse.set(step.to, [step]);
    }
  }
  const holds = new Map(
    nodes.map((n) => [
      n.key,
      new Set(GOALS.filter((g) => graph.has(n, CAPABILITIES[g.name])).map((g) => g.name)),
    ]),
  );
  // per goal: the next step from each node along a shortest chain to a holder of the goal
  const next = new Map<CapabilityName, Map<string, Step | null>>();
  for (const goal of GOALS) {
    const toward = new Map<string, Step | null>();
    let frontier = nodes.filter((n) => holds.get(n.key)?.has(goal.name)).map((n) => n.key);
    for (const k of frontier) toward.set(k, null);
    for (let depth = 0; depth < MAX_STEPS && frontier.length; depth++) {
      const more: string[] = [];
      for (const k of frontier) {
        for (const step of reverse.get(k) ?? []) {
          if (toward.has(step.from)) continue;
          toward.set(step.from, step);
          more.push(step.from);
        }
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
    const toward = next.get(goal.name) as Map<string, Step | null>;
    const steps: Step[] = [];
    for (let s = toward.get(start.key); s; s = toward.get(s.to)) steps.push(s);
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
