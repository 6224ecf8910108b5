import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { StrataError } from '../../../core/errors.js';
import { readInputText } from '../../../core/safe-read.js';
import { safeParseWith } from '../../../core/schema.js';
import { ClusterError } from '../errors.js';
import { type KubeconfigDocument, KubeconfigSchema } from './schema.js';

/** Where kubectl looks: `--kubeconfig`, else every file of `$KUBECONFIG`, else `~/.kube/config`. */
export type KubeconfigLocation =
  | { readonly kind: 'flag'; readonly path: string }
  | { readonly kind: 'env'; readonly paths: readonly string[] }
  | { readonly kind: 'default'; readonly path: string };

/** One parsed kubeconfig file, relative paths already resolved against its directory. */
export interface KubeconfigSource {
  readonly path: string;
  /** the path for messages: `~/.kube/config` */
  readonly display: string;
  readonly doc: KubeconfigDocument;
}

export function displayPath(path: string, home: string = homedir()): string {
  return home && home !== '/' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

export function locateKubeconfig(flag?: string, env: NodeJS.ProcessEnv = process.env): KubeconfigLocation {
  if (flag) return { kind: 'flag', path: flag };
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  // kubectl reads each listed file once, in order
  const paths = [...new Set(listed.map((p) => resolve(p)))];
  if (paths.length > 0) return { kind: 'env', paths };
  return { kind: 'default', path: join(homedir(), '.kube', 'config') };
}

/** YAML errors quote the offending lines, which may hold a token: report the position only. */
function parseYaml(text: string, display: string): unknown {
  try {
    return parse(text, { prettyErrors: false });
  } catch (err) {
    let where = '';
    if (err instanceof YAMLParseError) {
      const before = text.slice(0, err.pos[0]);
      where = ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')} (${err.code})`;
    }
    throw new ClusterError('KUBECONFIG_INVALID', `${display}: not valid YAML${where}`);
  }
}

const relative = (value: string | null | undefined, dir: string): string | null | undefined =>
  value && !isAbsolute(value) ? join(dir, value) : value;

/**
 * kubectl resolves the file fields of a kubeconfig against the directory of the file that holds
 * them, before merging; an exec command is resolved only when it is a path (`./bin/auth`), a bare
 * name is looked up in `PATH`.
 */
function resolvePaths(doc: KubeconfigDocument, dir: string): KubeconfigDocument {
  return {
    ...doc,
    clusters: doc.clusters?.map((c) =>
      c.cluster
        ? {
            ...c,
            cluster: {
              ...c.cluster,
              'certificate-authority': relative(c.cluster['certificate-authority'], dir),
            },
          }
        : c,
    ),
    users: doc.users?.map((u) => {
      if (!u.user) return u;
      const exec = u.user.exec;
      const command = exec?.command.includes('/') ? relative(exec.command, dir) : undefined;
      return {
        ...u,
        user: {
          ...u.user,
          'client-certificate': relative(u.user['client-certificate'], dir),
          'client-key': relative(u.user['client-key'], dir),
          tokenFile: relative(u.user.tokenFile, dir),
          ...(exec && command ? { exec: { ...exec, command } } : {}),
        },
      };
    }),
  };
}

/** Reads, parses and checks one kubeconfig file; `undefined` when it does not exist and `optional`. */
export function readKubeconfigFile(path: string, optional = false): KubeconfigSource | undefined {
  const display = displayPath(path);
  let text: string;
  try {
    text = readInputText(path, { kind: 'kubeconfig' });
  } catch (err) {
    if (err instanceof StrataError && err.code === 'FILE_NOT_FOUND') {
      if (optional) return undefined;
      throw new ClusterError('KUBECONFIG_NOT_FOUND', `kubeconfig not found: ${display}`);
    }
    throw err;
  }
  const raw = parseYaml(text, display) ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ClusterError('KUBECONFIG_INVALID', `${display}: not a kubeconfig (expected a mapping)`);
  }
  const parsed = safeParseWith(KubeconfigSchema, raw);
  if (!parsed.ok) throw new ClusterError('KUBECONFIG_INVALID', `${display}: ${parsed.message}`);
  return { path, display, doc: resolvePaths(parsed.value, dirname(resolve(path))) };
}

/** Every file the location names, in order; files of `$KUBECONFIG` that do not exist are skipped. */
export function readKubeconfigs(location: KubeconfigLocation): KubeconfigSource[] {
  switch (location.kind) {
    case 'flag':
    case 'default': {
      const one = readKubeconfigFile(location.path);
      return one ? [one] : [];
    }
    case 'env': {
      const found = location.paths.flatMap((p) => readKubeconfigFile(p, true) ?? []);
      if (found.length === 0) {
        throw new ClusterError(
          'KUBECONFIG_NOT_FOUND',
          `kubeconfig not found: none of the files in $KUBECONFIG exists (${location.paths.map((p) => displayPath(p)).join(delimiter)})`,
        );
      }
      return found;
    }
  }
}
