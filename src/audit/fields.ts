/**
 * The `ka.*` fields of Falco's k8saudit plugin and the `jevt.*` fields of its json plugin, read from one
 * audit event. A value is a string, a list of strings (the plugin's list fields), or `undefined` — Falco's
 * `<NA>`: the event does not carry it, and every comparison on it is false.
 */
export type FieldValue = string | readonly string[] | undefined;
export type Json = Record<string, unknown>;

export interface FieldSpec {
  /** a list field: `in` means every value is in the set, `intersects` that one is */
  readonly list: boolean;
  /** `required`: `field[arg]` only; `index`: an optional `[N]` picks one value of a list field */
  readonly arg: 'none' | 'required' | 'index';
  readonly read: (e: Json, arg: string | undefined) => FieldValue;
}

const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const arr = (v: unknown): readonly unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/** A scalar as the plugin prints it: strings as they are, numbers and booleans in JSON, objects as JSON. */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function path(e: unknown, keys: readonly string[]): unknown {
  let cur = e;
  for (let i = 0; i < keys.length; i++) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Json)[keys[i] as string];
  }
  return cur;
}

const scalar =
  (...keys: string[]) =>
  (e: Json): FieldValue =>
    text(path(e, keys));

const requestSpec = (e: Json): Json | undefined => obj(path(e, ['requestObject', 'spec']));

type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

function containers(e: Json, kind: ContainerKind): readonly Json[] | undefined {
  const list = arr(requestSpec(e)?.[kind]);
  return list?.map((c) => obj(c) ?? {});
}

/** The repository part of an image reference: without its tag or digest. */
export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at === -1 ? image : image.slice(0, at);
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

const perContainer =
  (kind: ContainerKind, pick: (c: Json, pod: Json) => string | undefined) =>
  (e: Json): FieldValue => {
    const cs = containers(e, kind);
    if (!cs) return undefined;
    const pod = requestSpec(e) ?? {};
    const out: string[] = [];
    for (const c of cs) {
      const v = pick(c, pod);
      if (v !== undefined) out.push(v);
    }
    return out;
  };

const sc = (c: Json, key: string): unknown => path(c, ['securityContext', key]);
const podSc = (pod: Json, key: string): unknown => path(pod, ['securityContext', key]);

const CONTAINER_FIELDS: Readonly<Record<string, (c: Json, pod: Json) => string | undefined>> = {
  image: (c) => text(c.image),
  'image.repository': (c) => (typeof c.image === 'string' ? imageRepository(c.image) : undefined),
  host_port: (c) => {
    const ports = arr(c.ports)
      ?.map((p) => text(obj(p)?.hostPort))
      .filter((p) => p !== undefined);
    return ports?.length ? ports.join(',') : undefined;
  },
  privileged: (c) => text(sc(c, 'privileged') ?? false),
  allow_privilege_escalation: (c) => text(sc(c, 'allowPrivilegeEscalation') ?? false),
  read_only_fs: (c) => text(sc(c, 'readOnlyRootFilesystem') ?? false),
  run_as_user: (c) => text(sc(c, 'runAsUser')),
  eff_run_as_user: (c, pod) => text(sc(c, 'runAsUser') ?? podSc(pod, 'runAsUser') ?? 0),
  run_as_group: (c) => text(sc(c, 'runAsGroup')),
  eff_run_as_group: (c, pod) => text(sc(c, 'runAsGroup') ?? podSc(pod, 'runAsGroup') ?? 0),
  proc_mount: (c) => text(sc(c, 'procMount')),
  add_capabilities: (c) => {
    const caps = arr(path(c, ['securityContext', 'capabilities', 'add']));
    return caps?.length ? caps.map(String).join(',') : undefined;
  },
};

function queryParam(e: Json, name: string | undefined): FieldValue {
  const uri = typeof e.requestURI === 'string' ? e.requestURI : undefined;
  const q = uri?.indexOf('?') ?? -1;
  if (!uri || q === -1 || name === undefined) return undefined;
  return new URLSearchParams(uri.slice(q + 1)).get(name) ?? undefined;
}

function roleRules(e: Json): readonly Json[] | undefined {
  return arr(path(e, ['requestObject', 'rules']))?.map((r) => obj(r) ?? {});
}

const ruleValues =
  (key: string) =>
  (e: Json): FieldValue =>
    roleRules(e)?.flatMap((r) => (arr(r[key]) ?? []).map((v) => String(v)));

const podVolumes = (e: Json): readonly Json[] | undefined =>
  arr(requestSpec(e)?.volumes)?.map((v) => obj(v) ?? {});

const VOLUME_TYPES = /^(?!name$)/;

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z$/;

/** Nanoseconds since the epoch of the event's stage timestamp (the json plugin's event time). */
function rawTime(e: Json): string | undefined {
  const ts = text(e.stageTimestamp ?? e.requestReceivedTimestamp);
  const m = ts ? RFC3339.exec(ts) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac = ''] = m;
  const seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)) / 1000;
  const nanos = frac.padEnd(9, '0');
  return seconds === 0 ? String(Number(nanos)) : `${seconds}${nanos}`;
}

/** RFC 6901 JSON pointer, split once into its reference tokens. */
export function pointerKeys(pointer: string): readonly string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a JSON pointer's tokens lead to in the event. */
export function atPointer(e: unknown, keys: readonly string[]): unknown {
  let cur: unknown = e;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (Array.isArray(cur)) cur = /^\d+$/.test(key) ? cur[Number(key)] : undefined;
    else if (cur !== null && typeof cur === 'object') cur = (cur as Json)[key];
    else return undefined;
  }
  return cur;
}

export const jsonPointer = (e: unknown, pointer: string): unknown => {
  const keys = pointerKeys(pointer);
  return keys ? atPointer(e, keys) : undefined;
};

const S = (read: (e: Json) => FieldValue): FieldSpec => ({ list: false, arg: 'none', read });
const L = (read: (e: Json) => FieldValue): FieldSpec => ({ list: true, arg: 'index', read });
const A = (read: (e: Json, arg: string | undefined) => FieldValue): FieldSpec => ({
  list: false,
  arg: 'required',
  read,
});

function containerFields(): Record<string, FieldSpec> {
  const out: Record<string, FieldSpec> = {};
  for (const kind of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    for (const [name, pick] of Object.entries(CONTAINER_FIELDS))
      out[`ka.req.pod.${kind}.${name}`] = L(perContainer(kind, pick));
  }
  return out;
}

const first = (read: (e: Json) => FieldValue) => (e: Json) => {
  const v = read(e);
  return typeof v === 'string' ? v : v?.[0];
};

const boolFlag = (key: string) => (e: Json) => text(requestSpec(e)?.[key]);

/** Every field the plugins define, by name. */
export const FIELDS: Readonly<Record<string, FieldSpec>> = {
  'ka.auditid': S(scalar('auditID')),
  'ka.stage': S(scalar('stage')),
  'ka.auth.decision': S(scalar('annotations', 'authorization.k8s.io/decision')),
  'ka.auth.reason': S(scalar('annotations', 'authorization.k8s.io/reason')),
  'ka.auth.openshift.decision': S(scalar('annotations', 'authorization.openshift.io/decision')),
  'ka.auth.openshift.username': S(scalar('annotations', 'authorization.openshift.io/username')),
  'ka.user.name': S(scalar('user', 'username')),
  'ka.user.groups': L((e) => arr(path(e, ['user', 'groups']))?.map(String)),
  // Strata extension: the namespace of a service account user (`system:serviceaccount:NS:NAME`)
  'ka.user.serviceaccount.namespace': S(
    (e) => /^system:serviceaccount:([^:]+):[^:]+$/.exec(text(path(e, ['user', 'username'])) ?? '')?.[1],
  ),
  'ka.impuser.name': S(scalar('impersonatedUser', 'username')),
  'ka.verb': S(scalar('verb')),
  'ka.uri': S(scalar('requestURI')),
  'ka.uri.param': A(queryParam),
  'ka.target.name': S(scalar('objectRef', 'name')),
  'ka.target.namespace': S(scalar('objectRef', 'namespace')),
  'ka.target.resource': S(scalar('objectRef', 'resource')),
  'ka.target.subresource': S(scalar('objectRef', 'subresource')),
  'ka.req.binding.subjects': L((e) =>
    arr(path(e, ['requestObject', 'subjects']))?.map((s) => text(obj(s)?.name) ?? ''),
  ),
  'ka.req.binding.role': S(scalar('requestObject', 'roleRef', 'name')),
  'ka.req.binding.subject.has_name': A(() => 'N/A'),
  'ka.req.configmap.name': S(scalar('objectRef', 'name')),
  'ka.req.configmap.obj': S((e) => text(path(e, ['requestObject', 'data']))),
  ...containerFields(),
  'ka.req.container.image': S(first(perContainer('containers', CONTAINER_FIELDS.image as never))),
  'ka.req.container.image.repository': S(
    first(perContainer('containers', CONTAINER_FIELDS['image.repository'] as never)),
  ),
  'ka.req.container.privileged': S((e) => {
    const cs = containers(e, 'containers');
    return cs ? String(cs.some((c) => sc(c, 'privileged') === true)) : undefined;
  }),
  'ka.req.pod.host_ipc': S(boolFlag('hostIPC')),
  'ka.req.pod.host_network': S(boolFlag('hostNetwork')),
  'ka.req.container.host_network': S(boolFlag('hostNetwork')),
  'ka.req.pod.host_pid': S(boolFlag('hostPID')),
  'ka.req.pod.run_as_user': S((e) => text(path(requestSpec(e), ['securityContext', 'runAsUser']))),
  'ka.req.pod.run_as_group': S((e) => text(path(requestSpec(e), ['securityContext', 'runAsGroup']))),
  'ka.req.pod.fs_group': S((e) => text(path(requestSpec(e), ['securityContext', 'fsGroup']))),
  'ka.req.pod.supplemental_groups': L((e) =>
    arr(path(requestSpec(e), ['securityContext', 'supplementalGroups']))?.map(String),
  ),
  'ka.req.role.rules': L((e) => roleRules(e)?.map((r) => JSON.stringify(r))),
  'ka.req.role.rules.apiGroups': L(ruleValues('apiGroups')),
  'ka.req.role.rules.nonResourceURLs': L(ruleValues('nonResourceURLs')),
  'ka.req.role.rules.verbs': L(ruleValues('verbs')),
  'ka.req.role.rules.resources': L(ruleValues('resources')),
  'ka.req.service.type': S((e) => text(requestSpec(e)?.type)),
  'ka.req.service.ports': L((e) => arr(requestSpec(e)?.ports)?.map((p) => JSON.stringify(p))),
  'ka.req.pod.volumes.hostpath': L((e) =>
    podVolumes(e)?.flatMap((v) => {
      const p = text(path(v, ['hostPath', 'path']));
      return p === undefined ? [] : [p];
    }),
  ),
  'ka.req.volume.hostpath': A((e, prefix) => {
    const vols = podVolumes(e);
    if (!vols || prefix === undefined) return undefined;
    return String(vols.some((v) => text(path(v, ['hostPath', 'path']))?.startsWith(prefix) ?? false));
  }),
  'ka.req.pod.volumes.flexvolume_driver': L((e) =>
    podVolumes(e)?.flatMap((v) => {
      const d = text(path(v, ['flexVolume', 'driver']));
      return d === undefined ? [] : [d];
    }),
  ),
  'ka.req.pod.volumes.volume_type': L((e) =>
    podVolumes(e)?.flatMap((v) => Object.keys(v).filter((k) => VOLUME_TYPES.test(k))),
  ),
  'ka.resp.name': S(scalar('responseObject', 'metadata', 'name')),
  'ka.response.code': S(scalar('responseStatus', 'code')),
  'ka.response.reason': S(scalar('responseStatus', 'reason')),
  'ka.useragent': S(scalar('userAgent')),
  'ka.sourceips': L((e) => arr(e.sourceIPs)?.map(String)),
  'ka.cluster.name': S(() => undefined),
  'jevt.time': S((e) => text(e.stageTimestamp ?? e.requestReceivedTimestamp)),
  'jevt.time.iso8601': S((e) => text(e.stageTimestamp ?? e.requestReceivedTimestamp)),
  'jevt.rawtime': S(rawTime),
  'jevt.value': A((e, pointer) => (pointer === undefined ? undefined : text(jsonPointer(e, pointer)))),
  'jevt.obj': S((e) => JSON.stringify(e)),
};

/** The reader of `name[arg]`, with an index argument on a list field turned into one value. */
export function fieldReader(name: string, arg: string | undefined): ((e: Json) => FieldValue) | string {
  const spec = FIELDS[name];
  if (!spec) return `unknown field "${name}"`;
  if (spec.arg === 'required') {
    if (arg === undefined) return `field "${name}" needs an argument: ${name}[...]`;
    if (name === 'jevt.value') {
      const keys = pointerKeys(arg);
      if (!keys) return `jevt.value[${arg}]: the argument is a JSON pointer starting with "/"`;
      return (e) => text(atPointer(e, keys));
    }
    return (e) => spec.read(e, arg);
  }
  if (arg === undefined) return (e) => spec.read(e, undefined);
  if (spec.arg === 'index' && /^\d+$/.test(arg)) {
    const i = Number(arg);
    return (e) => {
      const v = spec.read(e, undefined);
      return typeof v === 'string' ? (i === 0 ? v : undefined) : v?.[i];
    };
  }
  return `field "${name}" takes no argument "[${arg}]"`;
}

export const isListField = (name: string, arg: string | undefined): boolean =>
  FIELDS[name]?.list === true && arg === undefined;
