import { GoStruct } from './objects.js';
import { type GoMap, type GoValue, isMap } from './template/index.js';

const str = (v: GoValue | undefined): string => (v === null || v === undefined ? '' : String(v));
const list = (v: GoValue | undefined): GoValue[] => (Array.isArray(v) ? v : []);

/** Chart.yaml's field names (JSON) and the Go struct's (`.Chart.AppVersion`). */
const FIELDS: [go: string, json: string][] = [
  ['Name', 'name'],
  ['Home', 'home'],
  ['Version', 'version'],
  ['Description', 'description'],
  ['Icon', 'icon'],
  ['APIVersion', 'apiVersion'],
  ['Condition', 'condition'],
  ['Tags', 'tags'],
  ['AppVersion', 'appVersion'],
  ['KubeVersion', 'kubeVersion'],
  ['Type', 'type'],
];

function capitalised(m: GoValue): GoValue {
  if (!isMap(m)) return m;
  const out: GoMap = {};
  for (const [k, v] of Object.entries(m))
    out[k === 'url' ? 'URL' : k.charAt(0).toUpperCase() + k.slice(1)] = v;
  return out;
}

/** `.Chart`: the chart's metadata as Helm's `chart.Metadata` struct (plus `IsRoot`). */
export function chartObject(metadata: GoMap, name: string, isRoot: boolean): GoStruct {
  const fields: Record<string, GoValue> = {};
  for (const [go, json] of FIELDS) fields[go] = str(metadata[json]);
  fields.Name = name;
  fields.Sources = list(metadata.sources);
  fields.Keywords = list(metadata.keywords);
  fields.Maintainers = list(metadata.maintainers).map(capitalised);
  fields.Dependencies = list(metadata.dependencies).map(capitalised);
  fields.Deprecated = metadata.deprecated === true;
  fields.Annotations = isMap(metadata.annotations ?? null) ? (metadata.annotations as GoMap) : {};
  fields.IsRoot = isRoot;
  return new GoStruct('chart.Metadata', fields, {}, { ...metadata, name });
}
