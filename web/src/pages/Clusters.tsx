import { type FormEvent, useMemo, useState } from 'react';
import { type Counts, get } from '../api';
import { type FindingData, FindingDetails, findingKey, withKeys } from '../components/Finding';
import { type Matrix, NetworkGraph } from '../components/NetworkGraph';
import { CountsLine, SeverityBadge } from '../components/Severity';
import { ErrorNote, Loading } from '../components/Status';
import { type Column, SortableTable } from '../components/Table';
import { useLoad, useTitle } from '../hooks';
import { Link } from '../router';
import { when } from './Images';
import type { TargetRow } from './Overview';

const clusterHref = (name: string) => `/clusters/${encodeURIComponent(name)}`;

export function ClustersPage() {
  useTitle('Clusters');
  const { data, error } = useLoad(() => get<{ items: TargetRow[] }>('/api/v1/cluster-results'), []);
  const columns: Column<TargetRow>[] = [
    {
      key: 'name',
      label: 'Cluster or manifests',
      sort: (r) => r.name,
      render: (r) => <Link to={clusterHref(r.name)}>{r.name}</Link>,
    },
    { key: 'type', label: 'Source', render: (r) => (r.type === 'cluster' ? 'live cluster' : 'manifests') },
    { key: 'risk', label: 'Findings', sort: (r) => r.risk, render: (r) => <CountsLine counts={r.summary} /> },
    { key: 'scanned', label: 'Last scanned', sort: (r) => r.scannedAt, render: (r) => when(r.scannedAt) },
  ];
  return (
    <section>
      <h1 tabIndex={-1}>Clusters</h1>
      {error ? <ErrorNote error={error} /> : null}
      {!data && !error ? <Loading what="clusters" /> : null}
      {data ? (
        <SortableTable
          rows={data.items}
          columns={columns}
          rowKey={(r) => r.name}
          initial={{ key: 'risk', dir: 'desc' }}
          caption="Scanned clusters and manifest sets"
          empty="No cluster scan stored yet. Cluster scans (strata k8s) stored by the server appear here."
        />
      ) : null}
    </section>
  );
}

interface ClusterDetail {
  name: string;
  type: string;
  scan: string;
  scannedAt: string;
  summary: Counts;
  pss: {
    namespace: string;
    baseline: 'PASS' | 'FAIL';
    restricted: 'PASS' | 'FAIL';
    baselineViolations: string[];
    restrictedViolations: string[];
    findings: number;
  }[];
  rbac: FindingData[];
  network: Matrix | null;
  networkFindings: FindingData[];
  attackPaths: FindingData[];
  attackPathsComputed: boolean;
}

interface PathEvidence {
  rank?: number;
  score?: number;
  goal?: string;
  hops?: { kind: string; ref: string; why: string; fix?: string }[];
  fix?: { hop?: number; action?: string };
}

/** The ranked attack paths: each one's score, its hops with why each holds, and the cheapest fix. */
function AttackPaths({ paths }: { paths: readonly FindingData[] }) {
  const rankOf = (f: FindingData) => (f.evidence as PathEvidence).rank ?? Number.MAX_SAFE_INTEGER;
  const sorted = [...paths].sort((a, b) => rankOf(a) - rankOf(b));
  return (
    <ol className="paths" data-testid="attack-paths">
      {withKeys(sorted, findingKey).map(([k, f]) => {
        const e = f.evidence as PathEvidence;
        return (
          <li key={k} className="attack-path" data-testid="attack-path">
            <p>
              <strong>#{e.rank ?? '?'}</strong> <SeverityBadge severity={f.severity} />{' '}
              <span className="path-score">
                score {typeof e.score === 'number' ? e.score.toFixed(1) : '?'}
              </span>{' '}
              <code>{f.id}</code> {f.title}
            </p>
            <ol className="hops">
              {(e.hops ?? []).map((h, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a hop's place on the path is its identity
                <li key={i}>
                  <span className="muted">{h.kind}</span> <code>{h.ref}</code>: {h.why}
                  {h.fix ? <span className="muted"> (fix here: {h.fix})</span> : null}
                </li>
              ))}
            </ol>
            <p className="path-fix">
              <strong>Fix:</strong> {e.fix?.action ?? 'none named'}
              {typeof e.fix?.hop === 'number' ? (
                <span className="muted"> (at hop {e.fix.hop + 1})</span>
              ) : null}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

interface Grant {
  subject: string;
  binding: string;
  role: string;
  scope: string;
  verbs: string[];
  resources: string[];
}

/** The grants the RBAC findings' evidence spells out, one per subject and rule. */
function grantsOf(findings: readonly FindingData[]): Grant[] {
  const out: Grant[] = [];
  for (const f of findings) {
    const ev = f.evidence as {
      binding?: string;
      role?: string;
      scope?: string;
      subjects?: string[];
      rules?: { verbs: string[]; resources: string[] }[];
    };
    if (!ev.binding || !ev.subjects || !ev.rules) continue;
    for (const s of ev.subjects)
      for (const r of ev.rules)
        out.push({
          subject: s,
          binding: ev.binding,
          role: ev.role ?? '',
          scope: ev.scope ?? '',
          verbs: r.verbs,
          resources: r.resources,
        });
  }
  return out;
}

const grants = (list: readonly string[], want: string) =>
  list.includes('*') ||
  list.includes(want) ||
  list.some((x) => x.split('/')[0] === want && want.includes('/'));

function WhoCan({ rbac }: { rbac: FindingData[] }) {
  const all = useMemo(() => grantsOf(rbac), [rbac]);
  const [verb, setVerb] = useState('get');
  const [resource, setResource] = useState('secrets');
  const [asked, setAsked] = useState({ verb: 'get', resource: 'secrets' });
  const hits = all.filter((g) => grants(g.verbs, asked.verb) && grants(g.resources, asked.resource));
  const subjects = [...new Set(hits.map((h) => h.subject))].sort();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsked({ verb: verb.trim(), resource: resource.trim() });
  };
  return (
    <section className="card" aria-labelledby="whocan-h">
      <h2 id="whocan-h">Who can…?</h2>
      <form className="inline" onSubmit={submit}>
        <label htmlFor="wc-verb">Verb</label>
        <input id="wc-verb" value={verb} onChange={(e) => setVerb(e.target.value)} size={10} />
        <label htmlFor="wc-resource">Resource</label>
        <input id="wc-resource" value={resource} onChange={(e) => setResource(e.target.value)} size={16} />
        <button type="submit">Ask</button>
      </form>
      <p className="muted small">
        Answered from the bindings the RBAC analysis flagged in this scan (risky grants);{' '}
        <code>strata rbac who-can</code> answers over every binding.
      </p>
      <div aria-live="polite" data-testid="who-can">
        {subjects.length === 0 ? (
          <p>
            No flagged binding lets anyone {asked.verb} {asked.resource}.
          </p>
        ) : (
          <ul>
            {subjects.map((s) => (
              <li key={s}>
                <code>{s}</code>{' '}
                <span className="muted">
                  via{' '}
                  {[
                    ...new Set(hits.filter((h) => h.subject === s).map((h) => `${h.binding} → ${h.role}`)),
                  ].join(', ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

export function ClusterPage({ name }: { name: string }) {
  useTitle(name);
  const { data, error } = useLoad(
    () => get<ClusterDetail>('/api/v1/cluster-results/detail', { name }),
    [name],
  );
  const pssColumns: Column<ClusterDetail['pss'][number]>[] = [
    { key: 'ns', label: 'Namespace', sort: (r) => r.namespace, render: (r) => r.namespace },
    {
      key: 'baseline',
      label: 'Baseline',
      sort: (r) => r.baselineViolations.length,
      render: (r) => <Verdict pass={r.baseline === 'PASS'} n={r.baselineViolations.length} />,
    },
    {
      key: 'restricted',
      label: 'Restricted',
      sort: (r) => r.restrictedViolations.length,
      render: (r) => (
        <Verdict
          pass={r.restricted === 'PASS'}
          n={r.restrictedViolations.length + r.baselineViolations.length}
        />
      ),
    },
    {
      key: 'who',
      label: 'Failing workloads',
      render: (r) => [...new Set([...r.baselineViolations, ...r.restrictedViolations])].join(', '),
    },
    {
      key: 'f',
      label: 'All findings',
      sort: (r) => r.findings,
      render: (r) => (
        <Link
          to={`/findings?target=${encodeURIComponent(name)}&namespace=${encodeURIComponent(r.namespace)}`}
        >
          {r.findings}
        </Link>
      ),
      className: 'num',
    },
  ];
  return (
    <section>
      <p className="crumbs">
        <Link to="/clusters">Clusters</Link> /
      </p>
      <h1 tabIndex={-1}>{name}</h1>
      {error ? <ErrorNote error={error} /> : null}
      {!data && !error ? <Loading what="the cluster" /> : null}
      {data ? (
        <>
          <p>
            {data.type === 'cluster' ? 'Live cluster' : 'Manifests'} · scanned {when(data.scannedAt)} ·{' '}
            <CountsLine counts={data.summary} />
          </p>
          <nav aria-label="On this page" className="toc">
            <a href="#pss">Pod Security</a> <a href="#rbac">RBAC</a> <a href="#network">Network graph</a>{' '}
            <a href="#paths">Attack paths</a>
          </nav>
          <section aria-labelledby="pss">
            <h2 id="pss">Pod Security Standards per namespace</h2>
            <SortableTable
              rows={data.pss}
              columns={pssColumns}
              rowKey={(r) => r.namespace}
              initial={{ key: 'baseline', dir: 'desc' }}
              caption="PSS compliance per namespace"
              empty="No namespaced finding in this scan."
            />
          </section>
          <section aria-labelledby="rbac">
            <h2 id="rbac">RBAC risks ({data.rbac.length})</h2>
            <div className="grid2">
              <div>
                {data.rbac.length === 0 ? <p className="muted">No RBAC finding.</p> : null}
                {withKeys(data.rbac, findingKey).map(([k, f]) => (
                  <FindingDetails key={k} f={f} />
                ))}
              </div>
              <WhoCan rbac={data.rbac} />
            </div>
          </section>
          <section aria-labelledby="network">
            <h2 id="network">Network graph</h2>
            {data.network ? (
              <>
                <p className="muted small">
                  {data.network.nodes.length - (data.network.nodes.includes('internet') ? 1 : 0)}{' '}
                  {data.network.granularity}s, {data.network.edges.length} allowed connections (NetworkPolicy
                  semantics). Click a node, or choose it below, to see its blast radius.
                </p>
                <NetworkGraph matrix={data.network} />
              </>
            ) : (
              <p className="notice">This scan stored no connection matrix, so there is no graph to draw.</p>
            )}
            {data.networkFindings.length ? (
              <>
                <h3>Network and exposure findings ({data.networkFindings.length})</h3>
                {withKeys(data.networkFindings, findingKey).map(([k, f]) => (
                  <FindingDetails key={k} f={f} />
                ))}
              </>
            ) : null}
          </section>
          <section aria-labelledby="paths">
            <h2 id="paths">Attack paths</h2>
            {data.attackPaths.length ? (
              <AttackPaths paths={data.attackPaths} />
            ) : data.attackPathsComputed ? (
              <p className="muted" data-testid="attack-paths-note">
                None found: no path from the internet to a node or an RBAC goal in this scan.
              </p>
            ) : (
              <p className="notice" data-testid="attack-paths-note">
                This scan did not compute attack paths (<code>strata k8s --paths</code>; the server's cluster
                scans do). Nothing is shown rather than made-up data.
              </p>
            )}
          </section>
        </>
      ) : null}
    </section>
  );
}

function Verdict({ pass, n }: { pass: boolean; n: number }) {
  return pass ? <span className="pass">PASS</span> : <span className="fail">FAIL ({n})</span>;
}
