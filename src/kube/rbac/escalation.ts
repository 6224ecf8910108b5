import type { Finding } from '../../core/types.js';
import type { Authorizer } from './authorizer.js';
import { CAPABILITIES, type Capability, type CapabilityName, probeRequest } from './capabilities.js';
import { formatSubject, identityOf } from './identity.js';
import { ruleAllows } from './match.js';
import { bindingRef, cmp, roleRefOf } from './refs.js';
import { STRUCTURAL_RISKS } from './risk-rules.js';
import { isSystemSubject } from './risks.js';
import type { Grant, Identity, Request, Subject } from './types.js';

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

  private grants(id: Identity, k: string, ns: string): Grant[] {
    const memo = `${k}\u0000${ns}`;
    const known = this.rules.get(memo);
    if (known) return known;
    const g = this.authz.rulesFor(id, ns);
    this.rules.set(memo, g);
    return g;
  }

  /** The grant that allows a request to a node, if any. */
  allows(n: Node, req: Request): Grant | undefined {
    const ns = req.type === 'resource' ? req.namespace : '';
    return this.grants(identityOf(n.subject), n.key, ns).find((g) => ruleAllows(g.rule, req));
  }

  /** Could any rule allow this request for some object name (a cheap pre-check before per-name requests)? */
  mayAllow(n: Node, req: Request): boolean {
    const ns = req.type === 'resource' ? req.namespace : '';
    return this.grants(identityOf(n.subject), n.key, ns).some((g) =>
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
      const pods = CAPABILITIES.createWorkloads
        .flat()
        .map((p) => ({ p, g: this.allows(n, probeRequest(p, ns)) }))
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
 * Escalation paths: from every subject the input binds, a breadth-first search (at most
 * MAX_STEPS steps) through "can create pods / tokens / impersonate in namespace X -> becomes a
 * service account of X" to a subject holding a cluster-wide goal (cluster-admin, escalate, bind,
 * impersonate, read secrets) that the start does not hold itself. One finding per start subject,
 * for its strongest goal, along the shortest chain, each step its evidence.
 */
export function escalationFindings(authz: Authorizer): Finding[] {
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
  const goalMemo = new Map<string, CapabilityName[]>();
  const goalsOf = (n: Node) => {
    const known = goalMemo.get(n.key);
    if (known) return known;
    const g = GOALS.filter((x) => graph.has(n, CAPABILITIES[x.name])).map((x) => x.name);
    goalMemo.set(n.key, g);
    return g;
  };
  const out: Finding[] = [];
  for (const { node: start, binding } of [...starts.values()].sort((a, b) => cmp(a.node.key, b.node.key))) {
    const own = new Set(goalsOf(start));
    const found = search(graph, start, (n) => goalsOf(n).some((g) => !own.has(g)));
    if (!found) continue;
    const gained = goalsOf(graph.nodes.get(found.at(-1)?.to as string) as Node).filter((g) => !own.has(g));
    const goal = GOALS.find((g) => g.name === gained[0]) as (typeof GOALS)[number];
    out.push({
      id: STRUCTURAL_RISKS.escalationPath.id,
      kind: 'rbac',
      severity: goal.name === 'readSecrets' ? 'HIGH' : 'CRITICAL',
      title: `${start.key} can escalate to ${goal.what} in ${found.length} step${found.length > 1 ? 's' : ''} via ${found.at(-1)?.to}`,
      location: { path: binding.source.file, line: binding.source.line, resource: bindingRef(binding) },
      evidence: {
        subject: start.key,
        reaches: found.at(-1)?.to,
        goals: gained,
        steps: found.map((s, i) => ({ step: i + 1, ...s })),
      },
      references: [
        'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks',
      ],
    });
  }
  return out;
}

function search(graph: Graph, start: Node, isGoal: (n: Node) => boolean): Step[] | undefined {
  const prev = new Map<string, Step | null>([[start.key, null]]);
  let frontier = [start.key];
  for (let depth = 0; depth < MAX_STEPS && frontier.length; depth++) {
    const next: string[] = [];
    for (const k of frontier) {
      for (const step of graph.successors(graph.nodes.get(k) as Node)) {
        if (prev.has(step.to)) continue;
        prev.set(step.to, step);
        if (isGoal(graph.nodes.get(step.to) as Node)) {
          const path: Step[] = [];
          for (let s: Step | null | undefined = step; s; s = prev.get(s.from)) path.unshift(s);
          return path;
        }
        next.push(step.to);
      }
    }
    frontier = next;
  }
  return undefined;
}
