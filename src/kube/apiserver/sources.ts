import { safeParseWith, tolerant, z } from '../../core/schema.js';
import type { ScanError } from '../../core/types.js';
import { type KubeResource, resourceRef } from '../load/index.js';
import { parseFlags, type Word } from './flags.js';
import { flagSettings, kubeletConfigSettings } from './settings.js';
import { COMPONENTS, type Component, type Settings } from './types.js';

export const APISERVER_ANALYZER = 'kube/apiserver';

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const Mapping = z.record(z.string(), z.unknown());
/** A static pod's containers; an entry that is not a mapping runs nothing Strata can read (its index stays). */
const StaticPod = z.object({
  spec: tolerant(z.object({ containers: tolerant(z.array(tolerant(Mapping))) })),
});
/** `command` / `args`: a list of words (numbers read as their text); absent or null is none. */
const Words = z.array(z.unknown()).nullish();
/** A kubeadm v1beta4 extraArgs entry. */
const NamedArg = z.object({ name: z.string(), value: z.unknown().optional() });

/** `message` of a parse at the root of `field`: `field: expected X, got Y` (or `field.sub: ...`). */
const at = (field: string, message: string): string =>
  message.startsWith('(root): ') ? `${field}: ${message.slice(8)}` : `${field}.${message}`;

/** The component a container runs: its command's program, else its image name (`registry.k8s.io/kube-apiserver:v1.30.0`). */
export function containerComponent(container: Record<string, unknown>): Component | undefined {
  const command = Array.isArray(container.command) ? container.command : [];
  for (const word of command.slice(0, 3)) {
    if (typeof word !== 'string') continue;
    for (const part of word.split(/\s+/)) {
      const c = COMPONENTS.find((x) => x === basename(part));
      if (c && c !== 'kubelet') return c;
    }
  }
  const image = typeof container.image === 'string' ? container.image : '';
  const repo = basename(image.replace(/[@:][^/]*$/, ''));
  return COMPONENTS.find((c) => c !== 'kubelet' && c === repo);
}

/** The flags of each control-plane container of a static pod manifest (`kube-system` or no namespace). */
export function staticPodSettings(r: KubeResource, errors: ScanError[]): Settings[] {
  if (r.kind !== 'Pod' || (r.namespace && r.namespace !== 'kube-system')) return [];
  const containers = StaticPod.safeParse(r.object).data?.spec?.containers ?? [];
  const out: Settings[] = [];
  containers.forEach((c, i) => {
    if (!c) return;
    const component = containerComponent(c);
    if (!component) return;
    const words: Word[] = [];
    for (const field of ['command', 'args'] as const) {
      const list = safeParseWith(Words, c[field]);
      if (!list.ok) {
        errors.push({
          analyzer: APISERVER_ANALYZER,
          path: r.file,
          message: `line ${r.lineOf(['spec', 'containers', i, field]) ?? r.line}: ${resourceRef(r)}: ${at(`containers[${i}].${field}`, list.message)}`,
        });
        continue;
      }
      (list.value ?? []).forEach((w, j) => {
        const line = r.lineOf(['spec', 'containers', i, field, j]) ?? r.line;
        for (const part of String(w).split(/\s+/)) if (part) words.push({ text: part, line });
      });
    }
    const line =
      r.lineOf(['spec', 'containers', i, 'command']) ?? r.lineOf(['spec', 'containers', i]) ?? r.line;
    out.push(
      flagSettings(component, parseFlags(words), 'full', { path: r.file, line, resource: resourceRef(r) }),
    );
  });
  return out;
}

const KUBEADM_SECTIONS: readonly [Component, readonly string[]][] = [
  ['kube-apiserver', ['apiServer', 'extraArgs']],
  ['kube-controller-manager', ['controllerManager', 'extraArgs']],
  ['kube-scheduler', ['scheduler', 'extraArgs']],
  ['etcd', ['etcd', 'local', 'extraArgs']],
];

/** kubeadm ClusterConfiguration extraArgs: a map (v1beta3) or a list of {name, value} (v1beta4); overrides only. */
export function kubeadmSettings(r: KubeResource, errors: ScanError[]): Settings[] {
  if (r.kind !== 'ClusterConfiguration' || !r.apiVersion.startsWith('kubeadm.k8s.io/')) return [];
  const out: Settings[] = [];
  for (const [component, path] of KUBEADM_SECTIONS) {
    let cur: unknown = r.object;
    for (const p of path) cur = Mapping.safeParse(cur).data?.[p];
    if (cur === undefined || cur === null) continue;
    const words: Word[] = [];
    const lineAt = (sub: (string | number)[]) => r.lineOf([...path, ...sub]) ?? r.line;
    if (Array.isArray(cur)) {
      cur.forEach((raw, i) => {
        const arg = safeParseWith(NamedArg, raw);
        if (arg.ok) {
          const { name, value } = arg.value;
          words.push({
            text: `--${name}=${value === undefined || value === null ? '' : String(value)}`,
            line: lineAt([i]),
          });
        } else {
          errors.push({
            analyzer: APISERVER_ANALYZER,
            path: r.file,
            message: `line ${lineAt([i])}: ${at(`${path.join('.')}[${i}]`, arg.message)} (expected {name, value})`,
          });
        }
      });
    } else if (Mapping.safeParse(cur).success) {
      for (const [k, v] of Object.entries(cur as Record<string, unknown>))
        words.push({ text: `--${k}=${v === null ? '' : String(v)}`, line: lineAt([k]) });
    } else {
      errors.push({
        analyzer: APISERVER_ANALYZER,
        path: r.file,
        message: `line ${lineAt([])}: ${path.join('.')} is neither a map nor a list`,
      });
      continue;
    }
    out.push(
      flagSettings(component, parseFlags(words), 'explicit', {
        path: r.file,
        line: lineAt([]),
        resource: resourceRef(r),
      }),
    );
  }
  return out;
}

export function kubeletSettings(r: KubeResource): Settings[] {
  if (r.kind !== 'KubeletConfiguration' || !r.apiVersion.startsWith('kubelet.config.k8s.io/')) return [];
  return [
    kubeletConfigSettings(r.object, (p) => r.lineOf(p), {
      path: r.file,
      line: r.line,
      resource: resourceRef(r),
    }),
  ];
}

/**
 * A file of process command lines (`ps -ef`, `ps aux`, `/proc/PID/cmdline` joined by spaces):
 * every line running a control-plane component or the kubelet (also through hyperkube) gives its
 * flags; other lines (headers, grep itself) are skipped. A kubelet started with `--config` is
 * judged on its explicit flags only (the file holds the rest).
 */
export function parseCommandLines(text: string, file: string): Settings[] {
  const out: Settings[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const tokens = raw.split(/[\s\0]+/).filter(Boolean);
    if (tokens.some((t) => ['grep', 'pgrep', 'egrep'].includes(basename(t)))) return;
    const at = tokens.findIndex((t) => (COMPONENTS as readonly string[]).includes(basename(t)));
    if (at === -1) return;
    const component = basename(tokens[at] as string) as Component;
    const line = i + 1;
    const flags = parseFlags(tokens.slice(at + 1).map((t) => ({ text: t, line })));
    const completeness = component === 'kubelet' && flags.has('config') ? 'explicit' : 'full';
    out.push(
      flagSettings(component, flags, completeness, { path: file, line, resource: `Process/${component}` }),
    );
  });
  return out;
}
