import { errorMessage } from '../core/errors.js';
import {
  type RangeEvidence,
  type VulnerabilityFinding,
  vulnerabilityFinding,
} from '../core/finding/index.js';
import type { OSInfo, Package, ScanError } from '../core/types.js';
import type { AdvisoryDb, MatchEntry, StoredAffected } from './db/store.js';
import { matchesByBinaryOrSource, matchesBySourceOnly } from './names.js';
import { applicableEcosystems, osEcosystem } from './os-ecosystem.js';
import { type CompiledAffected, compileAffected, evaluateCompiled, type RangeVerdict } from './osv/ranges.js';
import type { OsvRange } from './osv/types.js';
import { rateSeverity } from './severity-order.js';
import { baseEcosystem, comparatorFor } from './version/registry.js';
import { goVersion, semver } from './version/semver.js';
import type { VersionComparator } from './version/types.js';

export const MATCHER_NAME = 'vuln/osv';

export interface DetectResult {
  readonly findings: VulnerabilityFinding[];
  readonly errors: ScanError[];
}

interface Candidate {
  readonly name: string;
  readonly version: string;
  readonly matchedBy: 'source' | 'binary';
}

/** The ecosystem to look a package up in, with the OS release filled in when the inventory left it out. */
export function lookupEcosystem(pkg: Package, os: OSInfo | undefined): string {
  if (pkg.ecosystem.includes(':') || !os) return pkg.ecosystem;
  const fromOs = osEcosystem(os);
  return fromOs && baseEcosystem(fromOs) === pkg.ecosystem ? fromOs : pkg.ecosystem;
}

/** Which names to look up: the source package where the advisory source names those, else the binary. */
function candidates(pkg: Package, ecosystem: string): Candidate[] {
  const src = pkg.source;
  if (matchesBySourceOnly(ecosystem)) {
    return src
      ? [{ name: src.name, version: src.version || pkg.version, matchedBy: 'source' }]
      : [{ name: pkg.name, version: pkg.version, matchedBy: 'binary' }];
  }
  const out: Candidate[] = [{ name: pkg.name, version: pkg.version, matchedBy: 'binary' }];
  if (src && src.name !== pkg.name && matchesByBinaryOrSource(ecosystem)) {
    out.push({ name: src.name, version: src.version || pkg.version, matchedBy: 'source' });
  }
  return out;
}

const WONT_FIX = /will[ _-]?not[ _-]?fix|won'?t[ _-]?fix|ignored|end[ _-]of[ _-]life|no[ _-]dsa/i;

function statusOf(fixed: string | undefined, stored: StoredAffected): string {
  if (fixed) return 'fixed';
  const signals = [
    stored.affected.ecosystemSpecific?.status,
    stored.affected.ecosystemSpecific?.fix_status,
    stored.affected.databaseSpecific?.status,
    stored.affected.databaseSpecific?.fix_status,
  ];
  return signals.some((s) => typeof s === 'string' && WONT_FIX.test(s)) ? 'will_not_fix' : 'affected';
}

const INTERNAL_ALIAS = /^(DEBIAN|UBUNTU)-/;
const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function toFinding(
  db: AdvisoryDb,
  pkg: Package,
  cand: Candidate,
  stored: StoredAffected,
  verdict: RangeVerdict,
): VulnerabilityFinding {
  const { affected } = stored;
  const advisory = stored.advisory();
  const sev = rateSeverity({
    vectors: affected.severity ?? advisory.severity,
    vendor: affected.vendor ?? [],
    databaseSeverity: advisory.databaseSeverity,
    related: () => db.relatedAdvisories(advisory.id, [...advisory.aliases, ...advisory.upstream]),
  });
  const fixed = verdict.fixes[0];
  const aliases = sortedUnique(
    [...advisory.aliases, ...advisory.upstream].filter((a) => a !== advisory.id && !INTERNAL_ALIAS.test(a)),
  );
  const title = advisory.summary ?? advisory.details?.split('\n')[0]?.slice(0, 200) ?? advisory.id;
  return vulnerabilityFinding({
    id: advisory.id,
    ...(aliases.length ? { aliases } : {}),
    severity: sev.severity,
    title,
    ...(advisory.details ? { description: advisory.details } : {}),
    package: { name: pkg.name, version: pkg.version, purl: pkg.purl },
    ...(fixed ? { fixedVersion: fixed } : {}),
    status: statusOf(fixed, stored),
    location: { path: pkg.path, ...(pkg.layer ? { layer: pkg.layer } : {}) },
    evidence: {
      ecosystem: affected.ecosystem,
      matchedBy: cand.matchedBy,
      matchedName: affected.name,
      matchedVersion: cand.version,
      ...(verdict.via === 'versions' ? { versionListed: true } : {}),
      ...(verdict.range ? { range: rangeEvidence(verdict.range) } : {}),
      severitySource: sev.source,
      ...(sev.vendor ? { vendorSeverity: { rating: sev.vendor.word, field: sev.vendor.field } } : {}),
      ...(sev.cvss.length
        ? {
            cvss: sev.cvss.map((c) => ({
              version: c.version,
              vector: c.vector,
              score: c.score,
              severity: c.severity,
            })),
          }
        : {}),
      ...(advisory.published ? { published: advisory.published } : {}),
      modified: advisory.modified,
    },
    ...(advisory.references.length ? { references: sortedUnique(advisory.references) } : {}),
  });
}

function rangeEvidence(range: OsvRange): RangeEvidence {
  const pick = (key: 'introduced' | 'fixed' | 'last_affected' | 'limit'): string[] =>
    range.events.flatMap((e) => (key in e ? [(e as Record<string, string>)[key]!] : []));
  const more = (k: 'fixed' | 'last_affected' | 'limit') => {
    const v = pick(k);
    return v.length ? { [k]: v } : {};
  };
  return {
    type: range.type,
    introduced: pick('introduced'),
    ...more('fixed'),
    ...more('last_affected'),
    ...more('limit'),
  };
}

const rangeComparators = new Map<
  VersionComparator,
  Map<VersionComparator, (t: OsvRange['type']) => VersionComparator>
>();

/** The order of each range type for packages of `ecosystem`: one function per pair of orders, so compiled entries are shared. */
function rangeComparator(
  ecosystem: string,
  cmp: VersionComparator,
): (t: OsvRange['type']) => VersionComparator {
  const semverCmp = baseEcosystem(ecosystem) === 'Go' ? goVersion : semver;
  let bySemver = rangeComparators.get(cmp);
  if (!bySemver) {
    bySemver = new Map();
    rangeComparators.set(cmp, bySemver);
  }
  let fn = bySemver.get(semverCmp);
  if (!fn) {
    fn = (t) => (t === 'SEMVER' ? semverCmp : cmp);
    bySemver.set(semverCmp, fn);
  }
  return fn;
}

// Entries are read once per database handle (see AdvisoryDb.matchEntries); their compiled ranges live
// as long as the entries do.
const compiledEntries = new WeakMap<MatchEntry, CompiledAffected>();

function compiled(entry: MatchEntry, rangeCmp: (t: OsvRange['type']) => VersionComparator): CompiledAffected {
  let c = compiledEntries.get(entry);
  if (!c || c.rangeComparator !== rangeCmp) {
    c = compileAffected(entry, rangeCmp);
    compiledEntries.set(entry, c);
  }
  return c;
}

interface Plan {
  readonly pkg: Package;
  readonly cmp: VersionComparator;
  readonly rangeCmp: (t: OsvRange['type']) => VersionComparator;
  readonly ecosystems: readonly string[];
  readonly candidates: readonly Candidate[];
}

/**
 * Matches an inventory against the advisory database with the OSV schema's semantics: one finding per
 * (advisory, package). Unparseable versions become per-package errors, never guesses.
 * The entries of every package are read first, a few queries per ecosystem; each entry's ranges are
 * compiled once per database handle.
 */
export function detectVulnerabilities(
  packages: readonly Package[],
  os: OSInfo | undefined,
  db: AdvisoryDb,
): DetectResult {
  const findings: VulnerabilityFinding[] = [];
  const errors: ScanError[] = [];
  const known = db.knownEcosystems();
  const applicable = new Map<string, readonly string[]>();
  const plans: Plan[] = [];
  const wanted = new Map<string, Set<string>>();
  for (const pkg of packages) {
    const ecosystem = lookupEcosystem(pkg, os);
    const cmp = comparatorFor(ecosystem);
    if (!cmp) continue;
    // the package's own ecosystem, then the related ones the database holds (Ubuntu Pro, RHEL repositories)
    let ecosystems = applicable.get(ecosystem);
    if (!ecosystems) {
      ecosystems = applicableEcosystems(ecosystem, known);
      applicable.set(ecosystem, ecosystems);
    }
    const cands = candidates(pkg, ecosystem);
    plans.push({ pkg, cmp, rangeCmp: rangeComparator(ecosystem, cmp), ecosystems, candidates: cands });
    for (const e of ecosystems) {
      let names = wanted.get(e);
      if (!names) {
        names = new Set();
        wanted.set(e, names);
      }
      for (const cand of cands) names.add(cand.name);
    }
  }
  for (const [ecosystem, names] of wanted) db.loadEntries(ecosystem, names);

  // evaluate every package, then read the matched advisories at once and build the findings in order
  const matched: { pkg: Package; cand: Candidate; entry: MatchEntry; verdict: RangeVerdict }[] = [];
  for (const { pkg, cmp, rangeCmp, ecosystems, candidates: cands } of plans) {
    const seen = new Set<string>();
    for (const cand of cands) {
      const entries =
        ecosystems.length === 1
          ? db.matchEntries(ecosystems[0]!, cand.name)
          : ecosystems.flatMap((e) => db.matchEntries(e, cand.name));
      if (entries.length === 0) continue;
      if (!cmp.isValid(cand.version)) {
        errors.push({
          analyzer: MATCHER_NAME,
          path: pkg.path,
          message: `${pkg.name}: ${cmp.scheme} version "${cand.version}" cannot be parsed; ${entries.length} advisories not checked`,
        });
        break;
      }
      for (const entry of entries) {
        if (seen.has(entry.advisoryId)) continue;
        try {
          const verdict = evaluateCompiled(cand.version, compiled(entry, rangeCmp));
          if (!verdict.affected) continue;
          seen.add(entry.advisoryId);
          matched.push({ pkg, cand, entry, verdict });
        } catch (err) {
          errors.push({
            analyzer: MATCHER_NAME,
            path: pkg.path,
            message: `${pkg.name} ${cand.version}: advisory ${entry.advisoryId}: ${errorMessage(err)}`,
          });
        }
      }
    }
  }
  db.loadAdvisoryDocs(matched.map((m) => m.entry.rid));
  for (const { pkg, cand, entry, verdict } of matched) {
    try {
      findings.push(toFinding(db, pkg, cand, db.storedAffected(entry), verdict));
    } catch (err) {
      errors.push({
        analyzer: MATCHER_NAME,
        path: pkg.path,
        message: `${pkg.name} ${cand.version}: advisory ${entry.advisoryId}: ${errorMessage(err)}`,
      });
    }
  }
  return { findings, errors };
}
