import { type Counts, SEVERITIES, type Severity } from '../api';

export function SeverityBadge({
  severity,
  score,
}: {
  severity: Severity | string;
  score?: number | undefined;
}) {
  return (
    <span className={`sev sev-${severity.toLowerCase()}`}>
      {severity}
      {score !== undefined ? ` ${score.toFixed(1)}` : ''}
    </span>
  );
}

/** CRITICAL 2 · HIGH 5 ... (zeros left out; "none" when all are zero). */
export function CountsLine({ counts }: { counts: Counts }) {
  const shown = SEVERITIES.filter((s) => counts[s] > 0);
  if (shown.length === 0) return <span className="muted">none</span>;
  return (
    <span className="counts">
      {shown.map((s) => (
        <span key={s} className={`count sev-${s.toLowerCase()}`} title={`${counts[s]} ${s}`}>
          {s[0]}
          <span className="visually-hidden">{s.slice(1)}</span> {counts[s]}
        </span>
      ))}
    </span>
  );
}
