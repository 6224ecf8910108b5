import { type FormEvent, useState } from 'react';
import { get, SEVERITIES } from '../api';
import { type FindingData, FindingDetails, findingKey, withKeys } from '../components/Finding';
import { ErrorNote, Loading } from '../components/Status';
import { useLoad, useTitle } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import { imageHref } from './Overview';

export const KINDS = [
  'vulnerability',
  'misconfiguration',
  'secret',
  'rbac',
  'network',
  'exposure',
  'signature',
  'audit',
  'attack-path',
] as const;

/** The doors of the overview, as kinds (the same grouping the server uses). */
const DOORS: Record<string, { label: string; kinds: string[] }> = {
  access: { label: 'Access and authorization', kinds: ['misconfiguration', 'rbac', 'audit'] },
  exposure: { label: 'API server exposure', kinds: ['exposure'] },
  image: { label: 'Image vulnerabilities', kinds: ['vulnerability', 'secret', 'signature'] },
  network: { label: 'Network contamination', kinds: ['network'] },
  paths: { label: 'Attack paths', kinds: ['attack-path'] },
};

interface Hit {
  scan: string;
  target: string;
  targetType: string;
  namespace?: string;
  finding: FindingData;
}

const FIELDS = ['kind', 'severity', 'namespace', 'advisory', 'target'] as const;

export function FindingsPage() {
  useTitle('Findings');
  const { query } = useLocation();
  const door = query.get('door') ?? '';
  const applied = Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? ''])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  const [form, setForm] = useState(applied);
  const key = query.toString();
  const { data, error, loading } = useLoad(
    () => get<{ total: number; items: Hit[] }>('/api/v1/findings/current', { ...applied, limit: 2000 }),
    [key],
  );
  const doorKinds = DOORS[door]?.kinds;
  const items = (data?.items ?? []).filter((h) => !doorKinds || doorKinds.includes(h.finding.kind));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (door && !form.kind) q.set('door', door);
    for (const f of FIELDS) if (form[f].trim()) q.set(f, form[f].trim());
    navigate(`/findings${q.toString() ? `?${q}` : ''}`);
  };
  return (
    <section>
      <h1 tabIndex={-1}>Findings</h1>
      <form className="filters" onSubmit={submit} aria-label="Filter findings">
        <div>
          <label htmlFor="f-kind">Kind</label>
          <select id="f-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            <option value="">any</option>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-severity">Severity</label>
          <select
            id="f-severity"
            value={form.severity}
            onChange={(e) => setForm({ ...form, severity: e.target.value })}
          >
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-namespace">Namespace</label>
          <input
            id="f-namespace"
            value={form.namespace}
            onChange={(e) => setForm({ ...form, namespace: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor="f-advisory">Advisory</label>
          <input
            id="f-advisory"
            placeholder="CVE-…, GHSA-…, rule id"
            value={form.advisory}
            onChange={(e) => setForm({ ...form, advisory: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor="f-target">Target</label>
          <input
            id="f-target"
            value={form.target}
            onChange={(e) => setForm({ ...form, target: e.target.value })}
          />
        </div>
        <div className="filter-actions">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            onClick={() => {
              setForm({ kind: '', severity: '', namespace: '', advisory: '', target: '' });
              navigate('/findings');
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {door && DOORS[door] ? (
        <p>
          Door: <strong>{DOORS[door]?.label}</strong> ({DOORS[door]?.kinds.join(', ')})
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {loading && !data ? <Loading what="findings" /> : null}
      {data ? (
        <>
          <p role="status" data-testid="findings-count">
            {doorKinds ? items.length : data.total} finding
            {(doorKinds ? items.length : data.total) === 1 ? '' : 's'} in the newest scan of each target
            {data.total > data.items.length ? ` (first ${data.items.length} shown)` : ''}
          </p>
          <div className="findings" data-testid="findings">
            {withKeys(items, (h) => `${h.scan}|${findingKey(h.finding)}`).map(([k, h]) => (
              <div key={k} className="finding-row">
                <FindingDetails
                  f={h.finding}
                  target={h.namespace ? `${h.target} · ns ${h.namespace}` : h.target}
                />
                {h.targetType === 'container_image' ? (
                  <Link className="small" to={imageHref(h.target)}>
                    open image
                  </Link>
                ) : h.targetType === 'cluster' || h.targetType === 'kubernetes' ? (
                  <Link className="small" to={`/clusters/${encodeURIComponent(h.target)}`}>
                    open cluster
                  </Link>
                ) : null}
              </div>
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
