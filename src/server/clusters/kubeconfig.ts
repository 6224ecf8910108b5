import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describeError } from '../../core/index.js';
import { type ClusterConfig, loadKubeconfig } from '../../kube/index.js';
import { ServerError } from '../errors.js';

/**
 * What a stored kubeconfig may not hold: anything that runs a program (`exec`, `auth-provider`)
 * or reads a file on the worker (`tokenFile`, certificate and key paths). A stored kubeconfig is
 * self-contained: tokens, basic auth, `-data` certificates.
 */
const REFUSED: readonly {
  section: 'users' | 'clusters';
  inner: 'user' | 'cluster';
  key: string;
  why: string;
}[] = [
  { section: 'users', inner: 'user', key: 'exec', why: 'would run a program on the worker' },
  { section: 'users', inner: 'user', key: 'auth-provider', why: 'is not supported' },
  { section: 'users', inner: 'user', key: 'tokenFile', why: 'names a file on the worker; use token' },
  {
    section: 'users',
    inner: 'user',
    key: 'client-certificate',
    why: 'names a file on the worker; use client-certificate-data',
  },
  {
    section: 'users',
    inner: 'user',
    key: 'client-key',
    why: 'names a file on the worker; use client-key-data',
  },
  {
    section: 'clusters',
    inner: 'cluster',
    key: 'certificate-authority',
    why: 'names a file on the worker; use certificate-authority-data',
  },
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: string) => new ServerError('BAD_REQUEST', `kubeconfig: ${message}`);

/** Refuses a kubeconfig that is not YAML or not self-contained, naming the field. */
export function checkStoredKubeconfig(text: string): void {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw bad(`not YAML: ${describeError(err)}`);
  }
  if (!isObj(doc)) throw bad('not a mapping (apiVersion: v1, kind: Config)');
  for (const rule of REFUSED) {
    const list = doc[rule.section];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const inner = isObj(entry) ? entry[rule.inner] : undefined;
      if (isObj(inner) && inner[rule.key] !== undefined && inner[rule.key] !== '') {
        throw bad(`${rule.section}[${i}].${rule.inner}.${rule.key} ${rule.why}`);
      }
    });
  }
}

/**
 * The cluster a stored kubeconfig names, resolved as `strata k8s --kubeconfig F --context C`
 * would: the text is written to a private temporary file only while it is read.
 */
export function storedClusterConfig(text: string, context?: string): ClusterConfig {
  checkStoredKubeconfig(text);
  const dir = mkdtempSync(join(tmpdir(), 'strata-kubeconfig-'));
  try {
    const file = join(dir, 'config');
    writeFileSync(file, text, { mode: 0o600 });
    return loadKubeconfig({ kubeconfig: file, ...(context ? { context } : {}) });
  } catch (err) {
    if (err instanceof ServerError) throw err;
    throw bad(describeError(err).replaceAll(dir, '<stored>'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
