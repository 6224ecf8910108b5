import { describeError } from '../../../core/errors.js';
import type { PackageDraft } from '../../types.js';
import { LangError } from '../shared/errors.js';
import { cleanLicenses } from '../shared/licenses.js';
import { mavenPackage } from '../shared/naming.js';
import { baseName } from '../shared/paths.js';
import { child, parseXml } from '../shared/xml.js';
import { listZip, readZipEntry, type ZipEntry } from '../shared/zip.js';
import { parseManifest, parseProperties } from './manifest.js';

export const ARCHIVE = /\.(?:jar|war|ear|par|sar|jpi|hpi)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
/** `artifact-1.2.3.jar`, `artifact-1.2.3-SNAPSHOT.jar`: the version starts at the first `-<digit>`. */
const FILE_NAME = /^(.+?)-(\d[^/]*?)\.[a-z]+$/i;

export interface ArchiveLimits {
  readonly maxDepth: number;
  readonly maxNestedSize: number;
  /** bytes still allowed to be inflated for nested archives, shared by the whole walk */
  budget: number;
}

export interface ArchiveResult {
  readonly packages: PackageDraft[];
  readonly errors: string[];
}

/**
 * One archive: every `META-INF/maven/<g>/<a>/pom.properties` (shaded jars hold several); when there is
 * none, the file name and MANIFEST.MF identify it; nested archives (fat jars, wars, ears) recurse.
 * `inner` is the chain of nested entry names, empty for the analysed file itself (named `fileName`).
 */
export function readArchive(
  buf: Buffer,
  fileName: string,
  inner: readonly string[],
  limits: ArchiveLimits,
): ArchiveResult {
  const entries = listZip(buf);
  const out: ArchiveResult = { packages: [], errors: [] };
  const extra = inner.length ? { extra: { archivePath: inner.join('!/') } } : {};
  const small = (e: ZipEntry) => {
    // small reads count against the walk's budget too: thousands of pom.properties are thousands of inflates
    if (e.size > limits.budget)
      throw new LangError('TOO_LARGE', `${e.name}: over the archive's inflate budget`);
    const text = readZipEntry(buf, e, 1024 * 1024).toString('utf8');
    limits.budget -= e.size;
    return text;
  };
  for (const e of entries.filter((x) => POM_PROPERTIES.test(x.name))) {
    const props = parseProperties(small(e));
    const [a, v] = [props.get('artifactId'), props.get('version')];
    const pom = entries.find((x) => x.name === e.name.replace(/pom\.properties$/, 'pom.xml'));
    const licenses = pom ? pomLicenses(small(pom)) : undefined;
    if (a && v)
      out.packages.push(
        mavenPackage(props.get('groupId'), a, v, { ...extra, ...(licenses ? { licenses } : {}) }),
      );
  }
  if (out.packages.length === 0) {
    const manifest = entries.find((x) => x.name === 'META-INF/MANIFEST.MF');
    const id = fromNameAndManifest(
      inner.at(-1) ?? fileName,
      manifest ? parseManifest(small(manifest)) : new Map(),
    );
    if (id) out.packages.push(mavenPackage(id.groupId, id.artifactId, id.version, extra));
  }
  if (inner.length >= limits.maxDepth) return out;
  for (const e of entries.filter((x) => ARCHIVE.test(x.name))) {
    const chain = [...inner, e.name];
    try {
      if (e.size > limits.maxNestedSize || e.size > limits.budget) {
        out.errors.push(`${chain.join('!/')}: nested archive of ${e.size} bytes skipped (size limit)`);
        continue;
      }
      limits.budget -= e.size;
      const nested = readArchive(readZipEntry(buf, e, limits.maxNestedSize), fileName, chain, limits);
      for (const item of nested.packages) out.packages.push(item);
      for (const item of nested.errors) out.errors.push(item);
    } catch (err) {
      out.errors.push(`${chain.join('!/')}: ${describeError(err)}`);
    }
  }
  return out;
}

interface Identity {
  readonly groupId?: string;
  readonly artifactId: string;
  readonly version: string;
}

/**
 * Without pom.properties: artifact and version from the file name (`x-1.2.jar`); a name without a
 * version (`x.jar`) takes it from `Implementation-Version`/`Bundle-Version`; the group only when the
 * manifest states one.
 */
export function fromNameAndManifest(entryName: string, manifest: Map<string, string>): Identity | undefined {
  const file = baseName(entryName);
  const m = FILE_NAME.exec(file);
  const artifactId = m?.[1] ?? file.replace(/\.[a-z]+$/i, '');
  const version = m?.[2] ?? manifest.get('Implementation-Version') ?? manifest.get('Bundle-Version');
  if (!artifactId || !version) return undefined;
  const groupId = manifest.get('Implementation-Vendor-Id') ?? groupFromSymbolicName(manifest, artifactId);
  return { artifactId, version, ...(groupId ? { groupId } : {}) };
}

/** `Bundle-SymbolicName: org.apache.commons.lang3` names group `org.apache.commons` only when it ends with the artifact. */
function groupFromSymbolicName(manifest: Map<string, string>, artifactId: string): string | undefined {
  const symbolic = manifest.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
  if (!symbolic?.endsWith(`.${artifactId}`)) return undefined;
  return symbolic.slice(0, -artifactId.length - 1);
}

/** `<licenses><license><name>` of the embedded pom.xml; a pom that does not parse gives none. */
function pomLicenses(text: string): string[] | undefined {
  try {
    const licenses = child(parseXml(text), 'licenses')?.children ?? [];
    return cleanLicenses(licenses.map((l) => child(l, 'name')?.text.trim()));
  } catch {
    return undefined;
  }
}
