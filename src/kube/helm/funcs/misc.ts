import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { FuncError } from '../template/errors.js';
import { type GoFunc, type GoValue, kindName, typeName } from '../template/value.js';
import { bool, empty, str, strval } from './convert.js';

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function b64dec(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return 'illegal base64 data at input byte 0';
  return Buffer.from(s, 'base64').toString('utf8');
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function b32enc(s: string): string {
  const bytes = Buffer.from(s);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}

function rand(chars: string): GoFunc {
  return (n) => {
    const count = typeof n === 'bigint' ? Number(n) : typeof n === 'number' ? n : 0;
    if (count > 1_000_000) throw new FuncError('random string too long');
    const bytes = randomBytes(Math.max(0, count));
    return Array.from(bytes, (b) => chars[b % chars.length]).join('');
  };
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUM = '0123456789';

/** Go's time layout for the common fields (`2006-01-02T15:04:05Z07:00`). */
function formatDate(layout: string, d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const map: [string, string][] = [
    ['2006', String(d.getUTCFullYear())],
    ['Z07:00', 'Z'],
    ['-07:00', '+00:00'],
    ['-0700', '+0000'],
    ['MST', 'UTC'],
    ['January', d.toLocaleString('en', { month: 'long', timeZone: 'UTC' })],
    ['Jan', d.toLocaleString('en', { month: 'short', timeZone: 'UTC' })],
    ['Monday', d.toLocaleString('en', { weekday: 'long', timeZone: 'UTC' })],
    ['Mon', d.toLocaleString('en', { weekday: 'short', timeZone: 'UTC' })],
    ['01', pad(d.getUTCMonth() + 1)],
    ['02', pad(d.getUTCDate())],
    ['15', pad(d.getUTCHours())],
    ['03', pad(d.getUTCHours() % 12 || 12)],
    ['04', pad(d.getUTCMinutes())],
    ['05', pad(d.getUTCSeconds())],
    ['06', pad(d.getUTCFullYear() % 100)],
    ['PM', d.getUTCHours() >= 12 ? 'PM' : 'AM'],
  ];
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    for (const [k, v] of map)
      if (layout.startsWith(k, i)) {
        out += v;
        i += k.length;
        continue outer;
      }
    out += layout[i++];
  }
  return out;
}

function toDate(v: GoValue): Date {
  if (typeof v === 'bigint' || typeof v === 'number') return new Date(Number(v) * 1000);
  if (typeof v === 'string') return new Date(v);
  return new Date();
}

function pem(kind: string): string {
  return `-----BEGIN ${kind}-----\n${randomBytes(48).toString('base64')}\n-----END ${kind}-----\n`;
}

function unsupported(name: string): GoFunc {
  return () => {
    throw new FuncError(`${name} is not supported by strata's chart renderer`);
  };
}

export const MISC_FUNCS: [string, GoFunc][] = [
  [
    'default',
    (...a) => {
      if (a.length === 0) throw new FuncError('wrong number of args for default: want at least 1 got 0');
      const [d, ...given] = a;
      return given.length === 0 || empty(given[0] ?? null) ? (d ?? null) : (given[0] ?? null);
    },
  ],
  ['empty', (v) => empty(v ?? null)],
  ['coalesce', (...a) => a.find((x) => !empty(x ?? null)) ?? null],
  ['all', (...a) => a.every((x) => !empty(x ?? null))],
  ['any', (...a) => a.some((x) => !empty(x ?? null))],
  ['ternary', (t, f, c) => (bool(c ?? null) ? (t ?? null) : (f ?? null))],
  [
    'fail',
    (m) => {
      throw new FuncError(str(m ?? null, 'fail'));
    },
  ],
  ['typeOf', (v) => typeName(v ?? null)],
  ['typeIs', (t, v) => str(t, 'typeIs') === typeName(v ?? null)],
  [
    'typeIsLike',
    (t, v) => {
      const want = str(t, 'typeIsLike');
      const got = typeName(v ?? null);
      return want === got || `*${want}` === got;
    },
  ],
  ['kindOf', (v) => kindName(v ?? null)],
  ['kindIs', (k, v) => str(k, 'kindIs') === kindName(v ?? null)],
  ['b64enc', (s) => Buffer.from(strval(s ?? null)).toString('base64')],
  ['b64dec', (s) => b64dec(strval(s ?? null))],
  ['b32enc', (s) => b32enc(strval(s ?? null))],
  ['sha1sum', (s) => createHash('sha1').update(str(s, 'sha1sum')).digest('hex')],
  ['sha256sum', (s) => createHash('sha256').update(str(s, 'sha256sum')).digest('hex')],
  ['sha512sum', (s) => createHash('sha512').update(str(s, 'sha512sum')).digest('hex')],
  ['adler32sum', (s) => String(adler32(str(s, 'adler32sum')))],
  ['uuidv4', () => randomUUID()],
  ['randAlphaNum', rand(ALPHA + NUM)],
  ['randAlpha', rand(ALPHA)],
  ['randNumeric', rand(NUM)],
  ['randAscii', rand(Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(''))],
  ['now', () => new Date().toISOString()],
  ['date', (layout, d) => formatDate(str(layout, 'date'), toDate(d ?? null))],
  ['dateInZone', (layout, d) => formatDate(str(layout, 'dateInZone'), toDate(d ?? null))],
  ['htmlDate', (d) => formatDate('2006-01-02', toDate(d ?? null))],
  ['unixEpoch', (d) => String(Math.floor(toDate(d ?? null).getTime() / 1000))],
  ['base', (s) => posix.basename(str(s, 'base')) || '.'],
  ['dir', (s) => posix.dirname(str(s, 'dir'))],
  ['clean', (s) => posix.normalize(str(s, 'clean')).replace(/(.)\/$/, '$1')],
  ['ext', (s) => posix.extname(str(s, 'ext'))],
  ['isAbs', (s) => posix.isAbsolute(str(s, 'isAbs'))],
  ['osBase', (s) => posix.basename(str(s, 'osBase')) || '.'],
  ['osDir', (s) => posix.dirname(str(s, 'osDir'))],
  ['osClean', (s) => posix.normalize(str(s, 'osClean'))],
  ['osExt', (s) => posix.extname(str(s, 'osExt'))],
  ['osIsAbs', (s) => posix.isAbsolute(str(s, 'osIsAbs'))],
  [
    'urlParse',
    (s) => {
      const u = new URL(str(s, 'urlParse'));
      return {
        scheme: u.protocol.replace(/:$/, ''),
        host: u.host,
        hostname: u.hostname,
        path: u.pathname,
        query: u.search.replace(/^\?/, ''),
        opaque: '',
        fragment: u.hash.replace(/^#/, ''),
        userinfo: u.username ? `${u.username}${u.password ? `:${u.password}` : ''}` : '',
      };
    },
  ],
  ['getHostByName', () => ''],
  // certificates and keys are random in Helm too: a placeholder keeps the manifests scannable
  ...[
    'genCA',
    'genSelfSignedCert',
    'genSignedCert',
    'genCAWithKey',
    'genSignedCertWithKey',
    'genSelfSignedCertWithKey',
    'buildCustomCert',
  ].map((n): [string, GoFunc] => [n, () => ({ Cert: pem('CERTIFICATE'), Key: pem('RSA PRIVATE KEY') })]),
  ['genPrivateKey', () => pem('RSA PRIVATE KEY')],
  ...['derivePassword', 'encryptAES', 'decryptAES', 'htpasswd', 'bcrypt'].map((n): [string, GoFunc] => [
    n,
    unsupported(n),
  ]),
];
