import { reasonLine } from '../findings.js';
import type { Judged } from '../judge.js';
import type { Mode } from '../policy/types.js';
import type { AdmissionResponse } from './schema.js';

/** The most warnings one answer carries (the API server truncates long lists anyway). */
const MAX_WARNINGS = 50;
const MAX_ANNOTATION = 8_192;

export interface Verdict {
  readonly uid: string;
  readonly mode: Mode;
  /** `Pod/ns/name`, named in the denial */
  readonly resource: string;
  readonly judged: readonly Judged[];
  /** lines for failures that deny (failurePolicy fail) or warn (ignore) */
  readonly failed: readonly string[];
  readonly failDenies: boolean;
  readonly notes: readonly string[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly patch?: readonly unknown[];
}

/** A reason line and the whole denial stay readable in kubectl and small in the API server's audit log. */
const MAX_LINE = 1_024;
const MAX_MESSAGE = 32 * 1_024;

function clip(line: string, max: number): string {
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines.map((l) => clip(l, MAX_LINE)))];
}

/** `a; b; c` up to MAX_MESSAGE, then `(and N more)`. */
function joined(lines: readonly string[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const next = out ? `${out}; ${lines[i]}` : (lines[i] ?? '');
    if (next.length > MAX_MESSAGE) return `${out}; (and ${lines.length - i} more)`;
    out = next;
  }
  return out;
}

/**
 * The AdmissionResponse for a verdict: in `enforce` mode the deny channel (and failures under
 * failurePolicy fail) refuse the request with 403 naming every finding id and its reason; in
 * `warn` they become warnings, in `audit` audit annotations.
 */
export function respond(v: Verdict): { response: AdmissionResponse; denied: boolean } {
  const deny = unique([
    ...v.judged.filter((j) => j.channel === 'deny').map((j) => reasonLine(j.finding, j.about)),
    ...(v.failDenies ? v.failed : []),
  ]);
  const warn = unique([
    ...v.judged.filter((j) => j.channel === 'warn').map((j) => reasonLine(j.finding, j.about)),
    ...(v.failDenies ? [] : v.failed),
    ...v.notes,
  ]);
  const audit = unique(
    v.judged.filter((j) => j.channel === 'audit').map((j) => reasonLine(j.finding, j.about)),
  );
  const denied = v.mode === 'enforce' && deny.length > 0;
  const warnings = [...(v.mode === 'warn' ? deny : []), ...warn].map((w) => `strata: ${w}`);
  const audited = unique([...(v.mode === 'audit' ? deny : []), ...audit]);
  const annotations: Record<string, string> = { ...v.annotations };
  if (audited.length > 0) annotations.findings = clip(joined(audited), MAX_ANNOTATION);
  if (deny.length > 0 || audited.length > 0)
    annotations.decision = denied ? 'deny' : `allow (${v.mode} mode)`;
  const patch = v.patch && v.patch.length > 0 && !denied ? v.patch : undefined;
  return {
    denied,
    response: {
      uid: v.uid,
      allowed: !denied,
      ...(denied
        ? {
            status: {
              code: 403,
              reason: 'Forbidden',
              message: `Strata denied ${clip(v.resource, 512)}: ${joined(deny)}`,
            },
          }
        : {}),
      ...(warnings.length > 0 ? { warnings: unique(warnings).slice(0, MAX_WARNINGS) } : {}),
      ...(Object.keys(annotations).length > 0 ? { auditAnnotations: annotations } : {}),
      ...(patch
        ? { patchType: 'JSONPatch' as const, patch: Buffer.from(JSON.stringify(patch)).toString('base64') }
        : {}),
    },
  };
}
