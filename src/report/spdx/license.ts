import { createHash } from 'node:crypto';
import { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from './license-ids.js';

/**
 * A package's license string as SBOM formats want it: a license-list identifier, an SPDX license
 * expression, or (when neither can be told for sure) the name as the package manager wrote it.
 */
export type NormalizedLicense =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'name'; readonly name: string };

const byLower = (ids: readonly string[]) => new Map(ids.map((id) => [id.toLowerCase(), id]));
const LICENSES = byLower(SPDX_LICENSE_IDS);
const EXCEPTIONS = byLower(SPDX_EXCEPTION_IDS);

/** Other spellings of list licenses that distributions and registries use (Debian copyright, RPM). */
const ALIASES: Readonly<Record<string, string>> = {
  expat: 'MIT',
  'mit license': 'MIT',
  'apache-2': 'Apache-2.0',
  'apache 2.0': 'Apache-2.0',
  apache2: 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache license, version 2.0': 'Apache-2.0',
  'asl 2.0': 'Apache-2.0',
  'psf-2': 'PSF-2.0',
  'zpl-2.1': 'ZPL-2.1',
  'bsd-2': 'BSD-2-Clause',
  'bsd-3': 'BSD-3-Clause',
  'bsd-4': 'BSD-4-Clause',
  'mpl-2': 'MPL-2.0',
  'mpl 2.0': 'MPL-2.0',
  cc0: 'CC0-1.0',
  'openssl license': 'OpenSSL',
};

/** GNU licenses: `GPL-2`, `GPLv2+`, `LGPL-2.1 or later`, `GPL-2.0` (deprecated id), `GFDL-1.3+`... */
const GNU = /^(A?GPL|LGPL|GFDL)[- ]?v?(\d)(?:\.(\d))?(\+|-or-later|-only)?$/i;
const GNU_DEFAULT_MINOR: Readonly<Record<string, string>> = { LGPL: '0', GFDL: '1' };

function gnuId(text: string): string | undefined {
  const m = GNU.exec(text);
  if (!m) return undefined;
  const family = m[1]!.toUpperCase();
  const id = `${family}-${m[2]}.${m[3] ?? GNU_DEFAULT_MINOR[family] ?? '0'}`;
  const suffix = m[4] === '+' || m[4]?.toLowerCase() === '-or-later' ? '-or-later' : '-only';
  return LICENSES.get(`${id}${suffix}`.toLowerCase());
}

/** One operand of an expression: a list id, optionally with SPDX's `+` ("or any later version"). */
function operandId(text: string): string | undefined {
  const clean = text.replace(/\s+/g, ' ').trim();
  const gnu = gnuId(clean);
  if (gnu) return gnu;
  const lower = clean.toLowerCase();
  const direct = LICENSES.get(lower) ?? LICENSES.get(ALIASES[lower]?.toLowerCase() ?? '');
  if (direct) return direct;
  // one `+` at most: a run of them used to recurse once per character
  if (lower.endsWith('+') && !lower.endsWith('++')) {
    const base = operandId(clean.slice(0, -1));
    return base && !base.endsWith('+') ? `${base}+` : undefined;
  }
  return undefined;
}

/**
 * Debian's `<license> with <name> exception` (DEP-5) as an SPDX `WITH`, for the exceptions whose list id
 * is certain; the GNU version of the license picks the Autoconf and GCC exception versions.
 */
const DEBIAN_EXCEPTIONS: Readonly<Record<string, string | Readonly<Record<string, string>>>> = {
  autoconf: { 'GPL-2': 'Autoconf-exception-2.0', 'GPL-3': 'Autoconf-exception-3.0' },
  bison: 'Bison-exception-2.2',
  'bison-2.2': 'Bison-exception-2.2',
  classpath: 'Classpath-exception-2.0',
  font: 'Font-exception-2.0',
  gcc: { 'GPL-2': 'GCC-exception-2.0', 'GPL-3': 'GCC-exception-3.1' },
  'linux-syscall-note': 'Linux-syscall-note',
  llvm: 'LLVM-exception',
  texinfo: 'Texinfo-exception',
};

/** `<license> with <name> exception`, found word by word (one pass; a regex over `\S+` backtracked). */
function withException(text: string): string {
  const words = text.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const [license, w, name, tail] = [words[i]!, words[i + 1], words[i + 2], words[i + 3]];
    if (!license || w?.toLowerCase() !== 'with' || !name || !tail || !/^exception\b/i.test(tail)) {
      out.push(license);
      continue;
    }
    const id = operandId(license);
    const entry = DEBIAN_EXCEPTIONS[name.toLowerCase()];
    const exception = typeof entry === 'string' ? entry : entry?.[id?.slice(0, 5) ?? ''];
    const rest = tail.slice('exception'.length);
    out.push(id && exception ? `${id} WITH ${exception}${rest}` : `${license} ${w} ${name} ${tail}`);
    i += 3;
  }
  return out.join(' ');
}

type Token =
  | { readonly t: 'op'; readonly v: 'AND' | 'OR' | 'WITH' }
  | { readonly t: '(' | ')' | 'word'; readonly v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const raw of text.split(/(\(|\)|\s+)/)) {
    if (!raw || /^\s+$/.test(raw)) continue;
    const upper = raw.toUpperCase();
    if (raw === '(' || raw === ')') out.push({ t: raw, v: raw });
    else if (upper === 'AND' || upper === 'OR' || upper === 'WITH') out.push({ t: 'op', v: upper });
    else out.push({ t: 'word', v: raw });
  }
  return out;
}

/**
 * Rebuilds an expression with canonical ids and upper-case operators, or undefined when an operand
 * is not a known license, a `WITH` is not followed by a known exception, or the syntax is broken.
 */
function parseExpression(text: string): string | undefined {
  const tokens = tokenize(withException(text.replace(/ or (?:any )?later(?: version)?/gi, '+')));
  const parts: string[] = [];
  let depth = 0;
  let expectOperand = true;
  let words: string[] = [];
  let afterWith = false;
  const flush = (): boolean => {
    if (words.length === 0) return true;
    const phrase = words.join(' ');
    words = [];
    const id = afterWith ? EXCEPTIONS.get(phrase.toLowerCase()) : operandId(phrase);
    afterWith = false;
    if (!id) return false;
    parts.push(id);
    expectOperand = false;
    return true;
  };
  for (const tok of tokens) {
    if (tok.t === 'word') {
      if (!expectOperand) return undefined;
      words.push(tok.v);
      continue;
    }
    if (!flush()) return undefined;
    if (tok.t === '(') {
      if (!expectOperand || afterWith) return undefined;
      depth += 1;
      parts.push('(');
    } else if (tok.t === ')') {
      if (expectOperand || depth === 0) return undefined;
      depth -= 1;
      parts.push(')');
    } else {
      if (expectOperand) return undefined;
      // WITH binds one license to one exception: not after `)` nor after another exception
      if (tok.v === 'WITH' && (parts.at(-1) === ')' || parts.at(-2) === 'WITH')) return undefined;
      afterWith = tok.v === 'WITH';
      parts.push(tok.v);
      expectOperand = true;
    }
  }
  if (!flush() || expectOperand || depth !== 0) return undefined;
  return parts.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/** Maps one license string from a package database to an SPDX id, expression or plain name. */
export function normalizeLicense(raw: string): NormalizedLicense {
  const name = raw.replace(/\s+/g, ' ').trim();
  const expression = parseExpression(name);
  if (!expression) return { kind: 'name', name };
  if (/^[^\s()+]+$/.test(expression)) return { kind: 'id', id: expression };
  return { kind: 'expression', expression };
}

/** Normalizes a package's licenses, dropping empty and duplicate entries (first spelling wins). */
export function normalizeLicenses(raw: readonly string[] | undefined): NormalizedLicense[] {
  const seen = new Set<string>();
  const out: NormalizedLicense[] = [];
  for (const r of raw ?? []) {
    if (!r.trim()) continue;
    const n = normalizeLicense(r);
    const key = n.kind === 'id' ? n.id : n.kind === 'expression' ? n.expression : `name:${n.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out;
}

/**
 * The `LicenseRef-` id of a named license. Names whose characters are all allowed keep their
 * spelling; others are sanitized and get a short hash, so two names never share an id.
 */
export function licenseRefId(name: string): string {
  const clean = name
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
  if (clean === name && clean) return `LicenseRef-${clean}`;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `LicenseRef-${clean ? `${clean}-` : ''}${hash}`;
}

/** One SPDX expression for several licenses (joined with AND); names become `LicenseRef-`s. */
export function combineLicenses(licenses: readonly NormalizedLicense[]): string | undefined {
  const terms = licenses.map((l) => {
    if (l.kind === 'id') return l.id;
    if (l.kind === 'name') return licenseRefId(l.name);
    return licenses.length > 1 && /\s/.test(l.expression) ? `(${l.expression})` : l.expression;
  });
  return terms.length > 0 ? terms.join(' AND ') : undefined;
}
