import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertsSpec {
  /** subject of the self-signed CA */
  readonly ca: string;
  readonly server: { readonly subject: string; readonly extensions: string };
  readonly client: { readonly subject: string };
}

function openssl(args: readonly string[]): void {
  execFileSync('openssl', [...args], { stdio: 'ignore' });
}

/**
 * A CA (`ca.pem`/`ca.key`), a server and a client certificate (`server.pem`/`.key`,
 * `client.pem`/`.key`) in `dir`, all P-256 and valid one day, made with openssl.
 */
export function makeTestCerts(dir: string, spec: TestCertsSpec): void {
  const p = (f: string) => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '1',
    '-subj',
    spec.ca,
  ]);
  writeFileSync(p('server.ext'), `${spec.server.extensions}\n`);
  writeFileSync(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [
    ['server', spec.server.subject],
    ['client', spec.client.subject],
  ] as const) {
    openssl(['req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', subject]);
    openssl([
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p(`${name}.pem`),
      '-days',
      '1',
      '-extfile',
      p(`${name}.ext`),
    ]);
  }
}
