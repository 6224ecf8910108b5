import { useMemo, useState } from 'react';
import { type Counts, download, get, SEVERITIES } from '../api';
import { cvssScore, type FindingData, FindingDetails, findingKey, withKeys } from '../components/Finding';
import { CountsLine, SeverityBadge } from '../components/Severity';
import { ErrorNote, Loading } from '../components/Status';
import { type Column, SortableTable } from '../components/Table';
import { useLoad, useTitle } from '../hooks';
import { Link } from '../router';
import { imageHref, type TargetRow } from './Overview';

const sevRank = (s: string) => SEVERITIES.length - SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
const short = (d: string | undefined) => (d ? d.replace(/^sha256:/, '').slice(0, 12) : '');
export const when = (iso: string) => new Date(iso).toLocaleString();

export function ImagesPage() {
  useTitle('Images');
  const [q, setQ] = useState('');
  const { data, error } = useLoad(() => get<{ items: TargetRow[] }>('/api/v1/images'), []);
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (data?.items ?? []).filter(
      (r) => !needle || r.name.toLowerCase().includes(needle) || (r.digest ?? '').includes(needle),
    );
  }, [data, q]);
  const columns: Column<TargetRow>[] = [
    {
      key: 'name',
      label: 'Image',
      sort: (r) => r.name,
      render: (r) => <Link to={imageHref(r.name)}>{r.name}</Link>,
    },
    { key: 'digest', label: 'Digest', render: (r) => <code title={r.digest}>{short(r.digest)}</code> },
    { key: 'risk', label: 'Findings', sort: (r) => r.risk, render: (r) => <CountsLine counts={r.summary} /> },
    {
      key: 'critical',
      label: 'Critical',
      sort: (r) => r.summary.CRITICAL,
      render: (r) => r.summary.CRITICAL,
      className: 'num',
    },
    {
      key: 'high',
      label: 'High',
      sort: (r) => r.summary.HIGH,
      render: (r) => r.summary.HIGH,
      className: 'num',
    },
    {
      key: 'secrets',
      label: 'Secrets',
      sort: (r) => total(r.kinds.secret),
      render: (r) => total(r.kinds.secret),
      className: 'num',
    },
    {
      key: 'packages',
      label: 'Packages',
      sort: (r) => r.packages ?? 0,
      render: (r) => r.packages ?? '',
      className: 'num',
    },
    {
      key: 'scanned',
      label: 'Last scanned',
      sort: (r) => r.scannedAt,
      render: (r) => <time dateTime={r.scannedAt}>{when(r.scannedAt)}</time>,
    },
    { key: 'scans', label: 'Scans', sort: (r) => r.scans, render: (r) => r.scans, className: 'num' },
  ];
  return (
    <section>
      <h1 tabIndex={-1}>Images</h1>
      <div className="toolbar">
        <label htmlFor="image-search">Search images</label>
        <input
          id="image-search"
          type="search"
          placeholder="name or digest"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <span className="muted" role="status">
          {data ? `${rows.length} of ${data.items.length}` : ''}
        </span>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {!data && !error ? <Loading what="images" /> : null}
      {data ? (
        <SortableTable
          rows={rows}
          columns={columns}
          rowKey={(r) => r.name}
          initial={{ key: 'risk', dir: 'desc' }}
          caption="Scanned images, newest scan of each"
          empty={
            data.items.length === 0
              ? 'No image scanned yet: queue one on the Scans page.'
              : 'No image matches.'
          }
        />
      ) : null}
    </section>
  );
}

const total = (c: Counts | undefined) => (c ? SEVERITIES.reduce((n, s) => n + c[s], 0) : 0);

interface PackageData {
  name: string;
  version: string;
  ecosystem: string;
  purl: string;
  path: string;
  layer?: string;
  licenses?: string[];
  ownedBy?: { name: string; version: string };
}

interface ImageDetail {
  name: string;
  digest?: string;
  scan: string;
  scannedAt: string;
  os?: { family: string; version: string; name?: string };
  summary: Counts;
  layers: {
    index: number;
    digest: string;
    diffId: string;
    size: number;
    createdBy?: string;
    packages: string[];
    findings: Counts;
  }[];
  packages: PackageData[];
  findings: FindingData[];
  errors: { analyzer: string; path?: string; message: string }[];
  signature: { status: 'verified' | 'failed' | 'not-checked'; detail: string };
  sbom: boolean;
  history: { scan: string; scannedAt: string; summary: Counts }[];
}

const size = (n: number) =>
  n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;

export function ImagePage({ name }: { name: string }) {
  useTitle(name);
  const { data, error } = useLoad(() => get<ImageDetail>('/api/v1/images/detail', { name }), [name]);
  const [sbomError, setSbomError] = useState<string>();
  const vulns = useMemo(() => (data?.findings ?? []).filter((f) => f.kind === 'vulnerability'), [data]);
  const secrets = useMemo(() => (data?.findings ?? []).filter((f) => f.kind === 'secret'), [data]);
  const others = useMemo(
    () => (data?.findings ?? []).filter((f) => f.kind !== 'vulnerability' && f.kind !== 'secret'),
    [data],
  );
  const sbom = async (format: 'cyclonedx' | 'spdx') => {
    if (!data?.digest) return;
    setSbomError(undefined);
    try {
      await download(
        `/api/v1/inventories/${encodeURIComponent(data.digest)}/sbom?format=${format}`,
        `sbom.${format}.json`,
      );
    } catch (e) {
      setSbomError(e instanceof Error ? e.message : String(e));
    }
  };
  const vulnColumns: Column<FindingData>[] = [
    { key: 'id', label: 'Advisory', sort: (f) => f.id, render: (f) => <code>{f.id}</code> },
    { key: 'pkg', label: 'Package', sort: (f) => f.package?.name ?? '', render: (f) => f.package?.name },
    {
      key: 'ver',
      label: 'Installed → fixed',
      render: (f) => (
        <>
          {f.package?.version} → {f.fixedVersion ?? <span className="muted">no fix</span>}
        </>
      ),
    },
    {
      key: 'sev',
      label: 'Severity (CVSS)',
      sort: (f) => sevRank(f.severity) * 100 + (cvssScore(f) ?? 0),
      render: (f) => <SeverityBadge severity={f.severity} score={cvssScore(f)} />,
    },
    { key: 'title', label: 'Title', render: (f) => f.title },
  ];
  const pkgColumns: Column<PackageData>[] = [
    { key: 'name', label: 'Package', sort: (p) => p.name, render: (p) => p.name },
    { key: 'version', label: 'Version', render: (p) => p.version },
    { key: 'eco', label: 'Ecosystem', sort: (p) => p.ecosystem, render: (p) => p.ecosystem },
    {
      key: 'layer',
      label: 'Layer',
      sort: (p) => data?.layers.findIndex((l) => l.digest === p.layer || l.diffId === p.layer) ?? -1,
      render: (p) => {
        const i = data?.layers.findIndex((l) => l.digest === p.layer || l.diffId === p.layer) ?? -1;
        return i >= 0 ? `#${i + 1}` : '';
      },
    },
    { key: 'path', label: 'Recorded in', render: (p) => <code>{p.path}</code> },
    {
      key: 'owner',
      label: 'Owned by',
      render: (p) => (p.ownedBy ? `${p.ownedBy.name} ${p.ownedBy.version}` : ''),
    },
  ];
  return (
    <section>
      <p className="crumbs">
        <Link to="/images">Images</Link> /
      </p>
      <h1 tabIndex={-1}>{name}</h1>
      {error ? <ErrorNote error={error} /> : null}
      {!data && !error ? <Loading what="the image" /> : null}
      {data ? (
        <>
          <dl className="facts head">
            <dt>Digest</dt>
            <dd>
              <code>{data.digest ?? 'unknown'}</code>
            </dd>
            <dt>OS</dt>
            <dd>{data.os ? `${data.os.name ?? data.os.family} ${data.os.version}` : 'unknown'}</dd>
            <dt>Scanned</dt>
            <dd>
              <time dateTime={data.scannedAt}>{when(data.scannedAt)}</time> (scan{' '}
              <code>{data.scan.slice(0, 8)}</code>, {data.history.length} kept)
            </dd>
            <dt>Findings</dt>
            <dd>
              <CountsLine counts={data.summary} />
            </dd>
            <dt>Signature</dt>
            <dd data-testid="signature">
              <span className={`sig sig-${data.signature.status}`}>
                {data.signature.status === 'verified'
                  ? 'verified'
                  : data.signature.status === 'failed'
                    ? 'failed'
                    : 'not checked'}
              </span>{' '}
              <span className="muted">{data.signature.detail}</span>
            </dd>
            <dt>SBOM</dt>
            <dd>
              {data.sbom ? (
                <>
                  <button type="button" onClick={() => sbom('cyclonedx')}>
                    Download CycloneDX
                  </button>{' '}
                  <button type="button" onClick={() => sbom('spdx')}>
                    Download SPDX
                  </button>
                  {sbomError ? <ErrorNote error={sbomError} /> : null}
                </>
              ) : (
                <span className="muted">no inventory stored (the image has no digest)</span>
              )}
            </dd>
          </dl>
          <nav aria-label="On this page" className="toc">
            <a href="#vulns">Vulnerabilities ({vulns.length})</a>{' '}
            <a href="#secrets">Secrets ({secrets.length})</a>{' '}
            <a href="#layers">Layers ({data.layers.length})</a>{' '}
            <a href="#packages">Packages ({data.packages.length})</a>
            {others.length ? <a href="#other"> Other findings ({others.length})</a> : null}
          </nav>
          <section aria-labelledby="vulns">
            <h2 id="vulns">Vulnerabilities</h2>
            <SortableTable
              rows={vulns}
              columns={vulnColumns}
              rowKey={(f, i) => `${f.id}|${f.package?.name}|${i}`}
              initial={{ key: 'sev', dir: 'desc' }}
              caption="Vulnerabilities of the newest scan"
              empty="No known vulnerability."
            />
          </section>
          <section aria-labelledby="secrets">
            <h2 id="secrets">Secrets</h2>
            {secrets.length === 0 ? <p className="muted">No secret found.</p> : null}
            <ul className="plain" data-testid="secrets">
              {withKeys(secrets, findingKey).map(([k, f]) => (
                <li key={k} className="secret">
                  <SeverityBadge severity={f.severity} /> <strong>{f.title}</strong>{' '}
                  <code className="redacted">{String(f.evidence.match ?? '')}</code> in{' '}
                  <code>{f.location.path}</code>
                  {f.location.line ? `:${f.location.line}` : ''}
                  {f.location.layer ? (
                    <span className="muted">
                      {' '}
                      (layer #
                      {data.layers.findIndex(
                        (l) => l.digest === f.location.layer || l.diffId === f.location.layer,
                      ) + 1}
                      )
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="layers">
            <h2 id="layers">Layers</h2>
            <ol className="layers">
              {data.layers.map((l) => (
                <li key={l.digest + l.index}>
                  <details>
                    <summary>
                      <strong>#{l.index + 1}</strong> <code>{l.createdBy ?? l.digest.slice(0, 19)}</code>{' '}
                      <span className="muted">
                        {size(l.size)} · added {l.packages.length} package{l.packages.length === 1 ? '' : 's'}
                      </span>{' '}
                      <CountsLine counts={l.findings} />
                    </summary>
                    <p className="small">
                      <code>{l.digest}</code>
                    </p>
                    {l.packages.length ? (
                      <ul className="columns">
                        {l.packages.map((p) => (
                          <li key={p}>{p}</li>
                        ))}
                      </ul>
                    ) : (
                      <p className="muted">No package recorded in this layer.</p>
                    )}
                  </details>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="packages">
            <h2 id="packages">Packages</h2>
            <SortableTable
              rows={data.packages}
              columns={pkgColumns}
              rowKey={(p, i) => `${p.purl}|${p.path}|${i}`}
              initial={{ key: 'name', dir: 'asc' }}
              caption="Packages of the image"
            />
          </section>
          {others.length ? (
            <section aria-labelledby="other">
              <h2 id="other">Other findings</h2>
              {withKeys(others, findingKey).map(([k, f]) => (
                <FindingDetails key={k} f={f} />
              ))}
            </section>
          ) : null}
          {data.errors.length ? (
            <section aria-labelledby="errors">
              <h2 id="errors">Scan errors</h2>
              <ul>
                {withKeys(data.errors, (e) => `${e.analyzer}|${e.path ?? ''}|${e.message}`).map(([k, e]) => (
                  <li key={k}>
                    <code>{e.analyzer}</code> {e.path ? <code>{e.path}</code> : null}: {e.message}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
