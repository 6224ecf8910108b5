import { type FormEvent, useEffect, useState } from 'react';
import { type Counts, get, post } from '../api';
import { type FindingData, FindingDetails, findingKey, withKeys } from '../components/Finding';
import { CountsLine } from '../components/Severity';
import { ErrorNote, Loading } from '../components/Status';
import { type Column, SortableTable } from '../components/Table';
import { useLoad, useTitle } from '../hooks';
import { when } from './Images';

interface Scan {
  id: string;
  kind: string;
  target?: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

interface Diff {
  scan: string;
  against: string;
  new: FindingData[];
  fixed: FindingData[];
  unchanged: FindingData[];
}

const label = (s: Scan) =>
  `${s.target ?? s.kind} · ${when(s.finishedAt ?? s.createdAt)} · ${s.id.slice(0, 8)}`;

function QueueForm({ onQueued }: { onQueued: () => void }) {
  const [target, setTarget] = useState('');
  const [insecure, setInsecure] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const { id } = await post<{ id: string }>('/api/v1/scans', {
        target: target.trim(),
        ...(insecure ? { insecure } : {}),
      });
      setNote({ ok: true, text: `Queued as ${id.slice(0, 8)}.` });
      setTarget('');
      onQueued();
    } catch (err) {
      setNote({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <form className="inline card" onSubmit={submit} aria-label="Queue an image scan">
      <label htmlFor="scan-target">Image to scan</label>
      <input
        id="scan-target"
        value={target}
        onChange={(e) => setTarget(e.target.value)}
        placeholder="registry.example.com/app:1.2"
        size={40}
        required
      />
      <label className="check">
        <input type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} /> plain
        HTTP
      </label>
      <button type="submit">Queue scan</button>
      {note ? (
        <span className={note.ok ? 'ok' : 'error'} role="status">
          {note.text}
        </span>
      ) : null}
    </form>
  );
}

export function ScansPage() {
  useTitle('Scans');
  const [status, setStatus] = useState('');
  const { data, error, reload } = useLoad(
    () => get<{ items: Scan[] }>('/api/v1/scans', { limit: 500, status: status || undefined }),
    [status],
  );
  // queued and running scans change on their own: look again while any is open
  const open = (data?.items ?? []).some((s) => s.status === 'queued' || s.status === 'running');
  useEffect(() => {
    if (!open) return undefined;
    const t = setInterval(reload, 2000);
    return () => clearInterval(t);
  }, [open, reload]);
  const done = (data?.items ?? []).filter((s) => s.status === 'done');
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [diff, setDiff] = useState<Diff>();
  const [diffError, setDiffError] = useState<string>();
  const compare = async (e: FormEvent) => {
    e.preventDefault();
    setDiffError(undefined);
    try {
      setDiff(await get<Diff>(`/api/v1/scans/${encodeURIComponent(b)}/diff`, { against: a }));
    } catch (err) {
      setDiff(undefined);
      setDiffError(err instanceof Error ? err.message : String(err));
    }
  };
  const columns: Column<Scan>[] = [
    {
      key: 'target',
      label: 'Target',
      sort: (s) => s.target ?? '',
      render: (s) => s.target ?? <span className="muted">{s.kind}</span>,
    },
    {
      key: 'status',
      label: 'Status',
      sort: (s) => s.status,
      render: (s) => <span className={`status status-${s.status}`}>{s.status}</span>,
    },
    { key: 'created', label: 'Queued', sort: (s) => s.createdAt, render: (s) => when(s.createdAt) },
    {
      key: 'finished',
      label: 'Finished',
      sort: (s) => s.finishedAt ?? '',
      render: (s) => (s.finishedAt ? when(s.finishedAt) : ''),
    },
    {
      key: 'attempts',
      label: 'Attempts',
      sort: (s) => s.attempts,
      render: (s) => s.attempts,
      className: 'num',
    },
    { key: 'id', label: 'Scan', render: (s) => <code>{s.id.slice(0, 8)}</code> },
    {
      key: 'error',
      label: 'Error',
      render: (s) => (s.error ? <span className="error">{s.error}</span> : ''),
    },
  ];
  return (
    <section>
      <h1 tabIndex={-1}>Scans</h1>
      <QueueForm onQueued={reload} />
      <section aria-labelledby="history-h">
        <h2 id="history-h">Queue and history</h2>
        <div className="toolbar">
          <label htmlFor="scan-status">Status</label>
          <select id="scan-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">all</option>
            <option>queued</option>
            <option>running</option>
            <option>done</option>
            <option>failed</option>
          </select>
        </div>
        {error ? <ErrorNote error={error} /> : null}
        {!data && !error ? <Loading what="scans" /> : null}
        {data ? (
          <SortableTable
            rows={data.items}
            columns={columns}
            rowKey={(s) => s.id}
            initial={{ key: 'created', dir: 'desc' }}
            caption="Scans, newest first"
            empty="No scan yet."
          />
        ) : null}
      </section>
      <section aria-labelledby="diff-h">
        <h2 id="diff-h">Compare two scans</h2>
        <form className="inline" onSubmit={compare}>
          <label htmlFor="diff-a">Older scan</label>
          <select id="diff-a" value={a} onChange={(e) => setA(e.target.value)} required>
            <option value="">choose…</option>
            {done.map((s) => (
              <option key={s.id} value={s.id}>
                {label(s)}
              </option>
            ))}
          </select>
          <label htmlFor="diff-b">Newer scan</label>
          <select id="diff-b" value={b} onChange={(e) => setB(e.target.value)} required>
            <option value="">choose…</option>
            {done.map((s) => (
              <option key={s.id} value={s.id}>
                {label(s)}
              </option>
            ))}
          </select>
          <button type="submit">Compare</button>
        </form>
        {diffError ? <ErrorNote error={diffError} /> : null}
        {diff ? (
          <div data-testid="diff">
            <p>
              <strong>{diff.new.length}</strong> new · <strong>{diff.fixed.length}</strong> fixed ·{' '}
              <strong>{diff.unchanged.length}</strong> unchanged
            </p>
            <DiffList title="New" items={diff.new} />
            <DiffList title="Fixed" items={diff.fixed} />
            <DiffList title="Unchanged" items={diff.unchanged} />
          </div>
        ) : null}
      </section>
    </section>
  );
}

function DiffList({ title, items }: { title: string; items: FindingData[] }) {
  if (items.length === 0) return null;
  const counts: Counts = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  for (const f of items) counts[f.severity] += 1;
  return (
    <details open={title !== 'Unchanged'}>
      <summary>
        <strong>{title}</strong> ({items.length}) <CountsLine counts={counts} />
      </summary>
      {withKeys(items, findingKey).map(([k, f]) => (
        <FindingDetails key={k} f={f} />
      ))}
    </details>
  );
}
