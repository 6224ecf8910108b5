type Json = unknown;
type Obj = Record<string, Json>;

function isObject(v: Json): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Merge keys of the Kubernetes lists a strategic merge patch merges item by item (the
 * `patchMergeKey`s of core/v1 and apps/v1); every other list is replaced whole.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  conditions: 'type',
};

function mergeList(key: string, base: Json[], patch: Json[]): Json[] {
  const mk = MERGE_KEYS[key];
  // Service ports merge on `port`, container ports on `containerPort`
  const mergeKey =
    key === 'ports' && patch.some((p) => isObject(p) && 'port' in p && !('containerPort' in p)) ? 'port' : mk;
  if (!mergeKey || !patch.every(isObject) || !base.every(isObject)) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'delete'));
  }
  const out = base.map((b) => structuredClone(b) as Obj);
  for (const p of patch as Obj[]) {
    const id = p[mergeKey];
    const i = out.findIndex((b) => b[mergeKey] === id);
    if (p.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = strategicMerge(out[i], p) as Obj;
    else out.push(strategicMerge({}, p) as Obj);
  }
  return out;
}

/**
 * A strategic merge patch for the common cases: maps merge recursively, `null` deletes a key,
 * `$patch: delete` deletes an item or map and `$patch: replace` replaces a map, and the lists of
 * `MERGE_KEYS` merge by their key (the others are replaced).
 */
export function strategicMerge(base: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _r, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Obj = isObject(base) ? structuredClone(base) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (v === null) delete out[k];
    else if (isObject(v) && v.$patch === 'delete') delete out[k];
    else if (Array.isArray(v) && Array.isArray(out[k])) out[k] = mergeList(k, out[k] as Json[], v);
    else if (Array.isArray(v)) out[k] = mergeList(k, [], v);
    else if (isObject(v)) out[k] = strategicMerge(out[k], v);
    else out[k] = v;
  }
  return out;
}
