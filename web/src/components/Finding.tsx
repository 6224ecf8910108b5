import type { Severity } from '../api';
import { SeverityBadge } from './Severity';

export interface FindingData {
  id: string;
  aliases?: string[];
  kind: string;
  severity: Severity;
  title: string;
  description?: string;
  package?: { name: string; version: string; purl: string };
  fixedVersion?: string;
  status?: string;
  location: { path?: string; line?: number; layer?: string; resource?: string };
  evidence: Record<string, unknown>;
  references?: string[];
}

/** The highest CVSS base score the evidence carries, if any. */
export function cvssScore(f: FindingData): number | undefined {
  const cvss = f.evidence.cvss;
  if (!Array.isArray(cvss)) return undefined;
  const scores = cvss
    .map((c) => (c as { score?: unknown }).score)
    .filter((s): s is number => typeof s === 'number');
  return scores.length > 0 ? Math.max(...scores) : undefined;
}

export function where(f: FindingData): string {
  const l = f.location;
  if (l.resource) return l.resource;
  if (l.path) return `${l.path}${l.line ? `:${l.line}` : ''}`;
  return '';
}

/** One finding with its whole evidence, in a <details> (keyboard: Enter/Space opens it). */
export function FindingDetails({ f, target }: { f: FindingData; target?: string }) {
  return (
    <details className="finding">
      <summary>
        <SeverityBadge severity={f.severity} score={cvssScore(f)} /> <code>{f.id}</code> {f.title}
        {target ? <span className="muted"> · {target}</span> : null}
      </summary>
      <dl className="facts">
        <dt>Kind</dt>
        <dd>{f.kind}</dd>
        {f.aliases?.length ? (
          <>
            <dt>Aliases</dt>
            <dd>{f.aliases.join(', ')}</dd>
          </>
        ) : null}
        {f.package ? (
          <>
            <dt>Package</dt>
            <dd>
              {f.package.name} {f.package.version} →{' '}
              {f.fixedVersion ?? <span className="muted">no fix yet</span>}
            </dd>
          </>
        ) : null}
        {where(f) ? (
          <>
            <dt>Where</dt>
            <dd>
              <code>{where(f)}</code>
              {f.location.layer ? (
                <span className="muted"> (layer {f.location.layer.slice(0, 19)})</span>
              ) : null}
            </dd>
          </>
        ) : null}
        {f.description ? (
          <>
            <dt>Description</dt>
            <dd className="prose">{f.description}</dd>
          </>
        ) : null}
        {f.references?.length ? (
          <>
            <dt>References</dt>
            <dd>
              <ul className="refs">
                {f.references.slice(0, 10).map((r) => (
                  <li key={r}>
                    <code>{r}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      <h4>Evidence</h4>
      <pre className="evidence">{JSON.stringify(f.evidence, null, 2)}</pre>
    </details>
  );
}

/** Items with a stable React key each: `keyOf`, suffixed by its occurrence when it repeats. */
export function withKeys<T>(items: readonly T[], keyOf: (item: T) => string): [string, T][] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const k = keyOf(item);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return [n ? `${k}#${n}` : k, item];
  });
}

export const findingKey = (f: FindingData): string =>
  [f.kind, f.id, f.package?.name ?? '', f.package?.version ?? '', where(f), f.location.layer ?? ''].join('|');
