import type { SecretRule } from '../types.js';
import { characterClasses, isSecretName, isSecretValue } from './helpers.js';

const SCHEMES = [
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
];

const NAME =
  '(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|auth[_-]?key|credentials?)';
const VALUE = String.raw`[A-Za-z0-9/+=_\-.!@#$%^&*~,;:?|]{12,128}`;

/** Rules for secrets that carry no tell-tale prefix: they need context, entropy or both. */
export const genericRules: readonly SecretRule[] = [
  {
    id: 'database-url-password',
    category: 'Database',
    title: 'Database connection URL with a password',
    severity: 'HIGH',
    regex: new RegExp(
      // `://` first, so V8 scans for that literal; the lookbehind then checks the scheme before it
      String.raw`://(?<=(?<![A-Za-z0-9+])(?<key>${SCHEMES.map((s) => s.replace('+', '\\+')).join('|')})://)[^:/\s@"'<>]*:(?<secret>[^@\s"'/<>]+)@[^\s"'<>/]+`,
      'i',
    ),
    keywords: ['postgres', 'mysql', 'mariadb', 'mongodb', 'redis', 'amqp', 'mssql', 'sqlserver'],
  },
  {
    id: 'env-secret',
    category: 'Environment',
    title: 'Secret in an image environment variable, label or build argument',
    severity: 'HIGH',
    // only the image config is scanned with this rule: its paths are `config:Env[3]`, `config:history[2].created_by`
    path: /^config:/,
    // the name starts where a run of name characters starts (a `.` or `-` inside it is no start):
    // starting after each `.` of a long `a.a.a...` run rescanned it each time, quadratic time; one
    // unbounded run only (a name needs a letter: `isSecretName` checks that, not a second run)
    regex: /(?<![A-Za-z0-9_.-])(?<key>[A-Za-z0-9_.-]+)=(?<q>["']?)(?<secret>[^\s"';&|]+)\k<q>/,
    validate: (secret, groups) => isSecretName(groups.key ?? '') && isSecretValue(secret),
  },
  {
    id: 'generic-secret-assignment',
    category: 'Generic',
    title: 'Hard-coded secret assigned to a password, token or key variable',
    severity: 'MEDIUM',
    // the quoted value comes first (V8 scans for a quote, not for one of many words); the lookbehind
    // then checks that a secret-like name and an assignment stand right before it
    regex: new RegExp(
      `(?<q>["'])(?<secret>${VALUE})\\k<q>(?<=(?<key>${NAME}[A-Za-z0-9_.-]{0,20}?)["']?\\s*(?::=|=>|=|:)\\s*["'][^"']{12,128}["'])`,
      'i',
    ),
    keywords: [
      'password',
      'passwd',
      'passphrase',
      'secret',
      'token',
      'api_key',
      'apikey',
      'api-key',
      'access_key',
      'auth_key',
      'credential',
    ],
    minEntropy: 3.5,
    // identifiers and words ("nextToken", "?InterpolationInJSX") have no digits; random secrets do
    validate: (secret) => /[0-9]/.test(secret) && characterClasses(secret) >= 2,
  },
];
