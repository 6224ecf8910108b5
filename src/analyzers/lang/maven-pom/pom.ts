import { malformed } from '../shared/errors.js';
import { child, childText, parseXml, type XmlElement } from '../shared/xml.js';

export interface PomDependency {
  readonly groupId: string;
  readonly artifactId: string;
  /** undefined when the file alone cannot resolve it (managed by a parent or a BOM) */
  readonly version?: string;
  readonly scope?: string;
}

const MAX_ROUNDS = 10;

/**
 * The dependencies a pom.xml declares (not plugins, not dependencyManagement), with versions
 * resolved from this file: `${...}` properties (project.*, parent.*, <properties>) and the file's
 * own dependencyManagement. Ranges and unresolvable versions are left undefined.
 */
export function pomDependencies(text: string): PomDependency[] {
  const project = parseXml(text);
  if (project.name !== 'project')
    throw malformed(`pom.xml: root element is <${project.name}>, not <project>`);
  const resolve = resolver(properties(project));
  const managed = new Map<string, string>();
  for (const d of depList(child(project, 'dependencyManagement', 'dependencies'))) {
    const v = resolve(childText(d, 'version'));
    const g = resolve(childText(d, 'groupId'));
    const a = resolve(childText(d, 'artifactId'));
    if (g && a && v) managed.set(`${g}:${a}`, v);
  }
  const out: PomDependency[] = [];
  for (const d of depList(child(project, 'dependencies'))) {
    const groupId = resolve(childText(d, 'groupId'));
    const artifactId = resolve(childText(d, 'artifactId'));
    if (!groupId || !artifactId) continue;
    const version = resolve(childText(d, 'version')) ?? managed.get(`${groupId}:${artifactId}`);
    const scope = childText(d, 'scope');
    out.push({ groupId, artifactId, ...(version ? { version } : {}), ...(scope ? { scope } : {}) });
  }
  return out;
}

function depList(el: XmlElement | undefined): XmlElement[] {
  return el?.children.filter((c) => c.name === 'dependency') ?? [];
}

function properties(project: XmlElement): Map<string, string> {
  const props = new Map<string, string>();
  for (const p of child(project, 'properties')?.children ?? []) props.set(p.name, p.text.trim());
  const set = (key: string, value: string | undefined) => value !== undefined && props.set(key, value);
  for (const field of ['groupId', 'artifactId', 'version']) {
    const own = childText(project, field);
    const parent = childText(project, 'parent', field);
    set(`project.parent.${field}`, parent);
    set(`parent.${field}`, parent);
    set(`project.${field}`, own ?? (field === 'artifactId' ? undefined : parent));
    set(`pom.${field}`, own ?? (field === 'artifactId' ? undefined : parent));
  }
  return props;
}

/** Substitutes `${name}` repeatedly (properties may refer to properties); undefined if any stays unresolved. */
function resolver(props: Map<string, string>): (v: string | undefined) => string | undefined {
  return (v) => {
    let cur = v;
    for (let round = 0; cur?.includes('${') && round < MAX_ROUNDS; round++) {
      cur = cur.replace(/\$\{([^}]+)\}/g, (all, key: string) => props.get(key) ?? all);
    }
    if (!cur || cur.includes('${') || /^[[(]/.test(cur)) return undefined;
    return cur;
  };
}
