import { posix } from 'node:path';
import { FuncError, type GoFunc, type GoMap, GoObject, type GoValue } from './template/index.js';
import { toYaml } from './yaml-values.js';

/** Kubernetes version `helm template` assumes (`.Capabilities.KubeVersion`). */
export const DEFAULT_KUBE_VERSION = 'v1.34.0';

/** The API group versions a default `helm template` reports (Helm 3.21's scheme). */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  ...[
    'admissionregistration.k8s.io/v1 v1alpha1 v1beta1',
    'internal.apiserver.k8s.io/v1alpha1',
    'apps/v1 v1beta1 v1beta2',
    'authentication.k8s.io/v1 v1alpha1 v1beta1',
    'authorization.k8s.io/v1 v1beta1',
    'autoscaling/v1 v2',
    'batch/v1 v1beta1',
    'certificates.k8s.io/v1 v1beta1 v1alpha1',
    'coordination.k8s.io/v1alpha2 v1beta1 v1',
    'discovery.k8s.io/v1 v1beta1',
    'events.k8s.io/v1 v1beta1',
    'extensions/v1beta1',
    'flowcontrol.apiserver.k8s.io/v1 v1beta1 v1beta2 v1beta3',
    'networking.k8s.io/v1 v1beta1',
    'node.k8s.io/v1 v1alpha1 v1beta1',
    'policy/v1 v1beta1',
    'rbac.authorization.k8s.io/v1 v1beta1 v1alpha1',
    'resource.k8s.io/v1 v1beta2 v1beta1 v1alpha3',
    'scheduling.k8s.io/v1alpha2 v1beta1 v1',
    'storage.k8s.io/v1beta1 v1 v1alpha1',
    'storagemigration.k8s.io/v1beta1',
    'apiextensions.k8s.io/v1beta1 v1',
  ].flatMap((line) => {
    const [first, ...rest] = line.split(' ') as [string, ...string[]];
    const group = first.split('/')[0]!;
    return [first, ...rest.map((v) => `${group}/${v}`)];
  }),
];

/** A Go struct given as field values (and optional methods); `json` is what toYaml/toJson print. */
export class GoStruct extends GoObject {
  constructor(
    readonly typeName: string,
    private readonly fields: Readonly<Record<string, GoValue>>,
    private readonly methods: Readonly<Record<string, GoFunc>> = {},
    private readonly json: GoValue = null,
  ) {
    super();
  }

  field(name: string): GoValue | undefined {
    if (name === '__json__') return this.json;
    return Object.hasOwn(this.fields, name) ? this.fields[name] : undefined;
  }

  override method(name: string): GoFunc | undefined {
    return Object.hasOwn(this.methods, name) ? this.methods[name] : undefined;
  }
}

export function capabilities(kubeVersion: string, apiVersions: readonly string[]): GoObject {
  const m = /^v?(\d+)\.(\d+)/.exec(kubeVersion);
  const version = kubeVersion.startsWith('v') ? kubeVersion : `v${kubeVersion}`;
  const kube = new GoStruct(
    'chartutil.KubeVersion',
    { Version: version, Major: m?.[1] ?? '1', Minor: m?.[2] ?? '0' },
    { GitVersion: () => version, String: () => version },
    { Version: version, Major: m?.[1] ?? '1', Minor: m?.[2] ?? '0' },
  );
  const set = new Set(apiVersions);
  const apis = new VersionSet([...apiVersions], (v) => set.has(v));
  const helm = new GoStruct('chartutil.HelmVersion', {
    Version: 'v3.21',
    GitCommit: '',
    GitTreeState: '',
    GoVersion: '',
  });
  return new GoStruct('*chartutil.Capabilities', { KubeVersion: kube, APIVersions: apis, HelmVersion: helm });
}

/** `.Capabilities.APIVersions`: a list with a `Has` method. */
class VersionSet extends GoObject {
  readonly typeName = 'chartutil.VersionSet';
  constructor(
    readonly items: string[],
    private readonly has: (v: string) => boolean,
  ) {
    super();
  }
  field(name: string): GoValue | undefined {
    return name === '__json__' ? this.items : undefined;
  }
  override method(name: string): GoFunc | undefined {
    if (name !== 'Has') return undefined;
    return (v) => typeof v === 'string' && this.has(v);
  }
  override entries(): [GoValue, GoValue][] {
    return this.items.map((v, i) => [BigInt(i), v]);
  }
}

/** Go's path.Match glob (`*`, `?`, `[...]`), used by `.Files.Glob` (which also allows `**`). */
function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new FuncError('syntax error in pattern');
      re += `[${pattern
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** `.Files`: the chart's other files (not templates, values or Chart.yaml), read from the chart only. */
export class Files extends GoObject {
  readonly typeName = 'engine.files';
  constructor(private readonly files: ReadonlyMap<string, Uint8Array>) {
    super();
  }
  field(name: string): GoValue | undefined {
    return name === '__json__' ? this.asMap() : undefined;
  }
  private asMap(): GoMap {
    const out: GoMap = {};
    for (const [k, v] of this.files) out[k] = v;
    return out;
  }
  override entries(): [GoValue, GoValue][] {
    return [...this.files.keys()].sort().map((k) => [k, this.files.get(k)!]);
  }
  override method(name: string): GoFunc | undefined {
    const text = (p: GoValue) => {
      const b = typeof p === 'string' ? this.files.get(posix.normalize(p)) : undefined;
      return b ? Buffer.from(b).toString('utf8') : '';
    };
    switch (name) {
      case 'Get':
        return (p) => text(p ?? null);
      case 'GetBytes':
        return (p) =>
          typeof p === 'string' ? (this.files.get(posix.normalize(p)) ?? new Uint8Array()) : new Uint8Array();
      case 'Lines':
        return (p) => {
          const t = text(p ?? null);
          return t === '' ? [] : t.replace(/\n$/, '').split('\n');
        };
      case 'Glob':
        return (p) => {
          const re = globRegex(typeof p === 'string' ? p : '');
          return new Files(new Map([...this.files].filter(([k]) => re.test(k))));
        };
      case 'AsConfig':
        return () => this.render(false);
      case 'AsSecrets':
        return () => this.render(true);
      default:
        return undefined;
    }
  }
  private render(secret: boolean): string {
    if (this.files.size === 0) return '';
    const out: GoMap = {};
    for (const [k, v] of this.files)
      out[posix.basename(k)] = secret ? Buffer.from(v).toString('base64') : Buffer.from(v).toString('utf8');
    return toYaml(out);
  }
}
