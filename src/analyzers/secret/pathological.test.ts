import { describe, expect, it } from 'vitest';
import { createScanner, resolveSecretConfig } from './builtin.js';

const scanner = createScanner(resolveSecretConfig());
const MiB = 1024 * 1024;

/** Inputs built to make backtracking regexes blow up: every rule must stay linear on them. */
const INPUTS: readonly [string, string, string][] = [
  ['one long word', 'srv/app/a.txt', 'a'.repeat(MiB)],
  ['BEGIN lines with no END', 'srv/app/k.pem', '-----BEGIN RSA PRIVATE KEY-----\nMIIB'.repeat(MiB / 36)],
  ['keywords with no values', 'srv/app/b.js', 'password=token:secret=>'.repeat(MiB / 23)],
  ['open quotes after a secret name', 'srv/app/c.py', 'api_key = "'.repeat(MiB / 11)],
  ['JWT prefixes glued together', 'srv/app/d.txt', `eyJ${'A'.repeat(20)}.`.repeat(MiB / 24)],
  ['URL schemes with no host', 'srv/app/e.txt', 'postgres://u:'.repeat(MiB / 13)],
  ['.env lines of one long name', 'srv/app/.env', `${'A'.repeat(MiB / 2)}_TOKEN`],
  [
    'kubeconfig-looking token keys',
    'root/.kube/config',
    'users: clusters:\n'.concat('  token: '.repeat(MiB / 9)),
  ],
  ['base64 runs with AKIA inside', 'srv/app/f.txt', 'AKIA'.repeat(MiB / 4)],
];

describe('pathological input', () => {
  it.each(INPUTS)('%s (1 MiB) is scanned in well under a second per MiB', (_what, path, text) => {
    const started = performance.now();
    scanner.scan(path, Buffer.from(text, 'latin1'));
    // generous for a loaded CI machine; a backtracking blow-up takes minutes, not seconds
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
