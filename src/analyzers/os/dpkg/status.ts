import type { PackageDraft } from '../../types.js';
import { parseControl } from './control.js';

/** `Source: openssl (3.0.11-1)` or `Source: openssl` */
function parseSource(value: string | undefined): { name: string; version?: string } | undefined {
  if (!value) return undefined;
  const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(value);
  if (!m) return undefined;
  return m[2] ? { name: m[1]!, version: m[2].trim() } : { name: m[1]! };
}

/**
 * dpkg's `Status: want eflag status` (dpkg-query(1), deb-status(5)). The third word is the
 * package's state. Only `not-installed` and `config-files` (removed, conffiles left) mean the
 * package's files are absent; `half-installed`, `unpacked`, `half-configured`,
 * `triggers-awaited` and `triggers-pending` leave them on disk (an interrupted upgrade or a
 * failing postinst), so those packages are listed and matched, with their state recorded in
 * `extra.status`. Distroless `status.d` entries carry no Status: installed.
 */
const ON_DISK = new Set([
  'installed',
  'half-installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
]);
const ABSENT = new Set(['not-installed', 'config-files']);

type State =
  | { readonly kind: 'present'; readonly state: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly value: string };

function stateOf(status: string | undefined): State {
  if (status === undefined) return { kind: 'present', state: 'installed' };
  const state = status.split(/\s+/)[2];
  if (state !== undefined && ON_DISK.has(state)) return { kind: 'present', state };
  if (state !== undefined && ABSENT.has(state)) return { kind: 'absent' };
  return { kind: 'unknown', value: status };
}

/**
 * dpkg's version syntax (deb-version(7)): [epoch:]upstream[-revision]; upstream starts with a
 * digit and holds alphanumerics and `.+~-:` (`-` only with a revision, `:` only with an epoch).
 */
export function isValidDpkgVersion(version: string): boolean {
  const m = /^(?:(\d+):)?(.+?)(?:-([A-Za-z0-9+.~]+))?$/.exec(version);
  if (!m) return false;
  const [, epoch, upstream, revision] = m;
  if (!/^\d[A-Za-z0-9.+~:-]*$/.test(upstream!)) return false;
  if (!epoch && upstream!.includes(':')) return false;
  if (!revision && upstream!.includes('-')) return false;
  return true;
}

export interface DpkgParse {
  readonly packages: PackageDraft[];
  readonly errors: string[];
}

export function parseDpkgStatus(text: string): DpkgParse {
  const packages: PackageDraft[] = [];
  const errors: string[] = [];
  for (const p of parseControl(text)) {
    const name = p.fields.get('package');
    const version = p.fields.get('version');
    const state = stateOf(p.fields.get('status'));
    if (state.kind === 'absent') continue;
    if (state.kind === 'unknown') {
      errors.push(`package ${name ?? '?'} at line ${p.line}: unknown dpkg Status "${state.value}"`);
      continue;
    }
    // `Package: x` alone is a stub some tools leave for virtual packages: nothing to report
    if (p.fields.size === 1 && p.fields.has('package')) continue;
    if (!name || !version) {
      errors.push(`paragraph at line ${p.line}: missing ${name ? 'Version' : 'Package'} field`);
      continue;
    }
    if (!isValidDpkgVersion(version)) {
      errors.push(`package ${name} at line ${p.line}: invalid version "${version}"`);
      continue;
    }
    const src = parseSource(p.fields.get('source'));
    const source = src ? { name: src.name, version: src.version ?? version } : undefined;
    const arch = p.fields.get('architecture');
    const maintainer = p.fields.get('maintainer');
    const epoch = /^(\d+):/.exec(version)?.[1];
    packages.push({
      type: 'deb',
      name,
      version,
      ...(source && (source.name !== name || source.version !== version) ? { source } : {}),
      ...(arch ? { arch } : {}),
      ...(epoch ? { epoch: Number(epoch) } : {}),
      ...(maintainer ? { maintainer } : {}),
      // the normal case stays unmarked; any other on-disk state is worth showing
      ...(state.state === 'installed' ? {} : { extra: { status: state.state } }),
    });
  }
  return { packages, errors };
}
