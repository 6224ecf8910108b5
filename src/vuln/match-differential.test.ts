import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OSInfo, Package } from '../core/types.js';
import { type AdvisoryDb, openAdvisoryDb } from './db/store.js';
import { DEMO_OSV_DIR } from './demo.js';
import { detectVulnerabilities, lookupEcosystem, MATCHER_NAME } from './match.js';
import { matchesByBinaryOrSource, matchesBySourceOnly, normalizeName } from './names.js';
import { applicableEcosystems } from './os-ecosystem.js';
import { parseOsvRecord } from './osv/parse.js';
import { evaluateAffected } from './osv/ranges.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from './osv/types.js';
import { baseEcosystem, comparatorFor } from './version/registry.js';
import { goVersion, semver } from './version/semver.js';

/*
 * A differential test of the matcher: a generated database of 5,000 advisories (real records of
 * data/demo-osv cloned under a few hundred package names, with listed versions, last_affected and
 * limit events, unparseable event versions, withdrawn and replaced records, Ubuntu Pro entries and
 * PyPI names spelled differently) matched through detectVulnerabilities (batched reads, compiled
 * ranges, entries cached per handle) must give what a plain reference gives: every package evaluated
 * against every stored record in memory with the OSV pseudocode (evaluateAffected), one by one.
 */

const ADVISORIES = 5000;

/** A small seeded generator (mulberry32): the same database on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(19);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const templates: Record<string, unknown>[] = readdirSync(DEMO_OSV_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(DEMO_OSV_DIR, d.name)).map(
      (f) => JSON.parse(readFileSync(join(DEMO_OSV_DIR, d.name, f), 'utf8')) as Record<string, unknown>,
    ),
  )
  .filter((r) => Array.isArray(r.affected) && r.affected.length > 0);

const eventVersion = (e: OsvEvent): string => Object.values(e)[0] as string;

/** The package names of one ecosystem: a few hundred in all, so each has several advisories. */
function nameFor(ecosystem: string, n: number, spelling: number): string {
  const base = baseEcosystem(ecosystem);
  if (base === 'PyPI') return ['Synthetic_Pkg', 'synthetic-pkg', 'synthetic.PKG'][spelling % 3]! + `-${n}`;
  if (base === 'Maven') return `org.synthetic:pkg-${n}`;
  if (base === 'Go') return `example.com/synthetic/pkg${n}`;
  return `synthetic-${n}`;
}

interface RawAffected {
  package: { ecosystem: string; name: string; purl?: string };
  ranges?: { type: string; events: Record<string, string>[] }[];
  versions?: string[];
  [k: string]: unknown;
}

/** One generated raw record (JSON as the feeds write it), with the variations the matcher must get right. */
function generate(i: number): Record<string, unknown> {
  const t = pick(templates);
  const n = Math.floor(rand() * 60);
  const affected = (t.affected as RawAffected[]).map((a) => {
    const ecosystem = a.package.ecosystem;
    const ranges = (a.ranges ?? []).map((r) => ({ ...r, events: r.events.map((e) => ({ ...e })) }));
    const versions = [...(a.versions ?? [])];
    const roll = rand();
    const ecoRange = ranges.find((r) => r.type !== 'GIT');
    if (roll < 0.1 && ecoRange) {
      // list some versions explicitly (the range's own bounds)
      for (const e of ecoRange.events) {
        const v = Object.values(e)[0]!;
        if (v !== '0') versions.push(v);
      }
    } else if (roll < 0.16 && ecoRange) {
      const fixed = ecoRange.events.find((e) => 'fixed' in e);
      if (fixed)
        ecoRange.events = ecoRange.events.map((e) => (e === fixed ? { last_affected: fixed.fixed! } : e));
    } else if (roll < 0.2 && ecoRange) {
      const fixed = ecoRange.events.find((e) => 'fixed' in e);
      if (fixed) ecoRange.events.push({ limit: fixed.fixed! });
    } else if (roll < 0.22 && ecoRange) {
      ecoRange.events.push({ fixed: 'bad version!' });
    } else if (roll < 0.24 && ecoRange) {
      // a second range, out of order
      ranges.push({ type: ecoRange.type, events: [...ecoRange.events].reverse() });
    }
    return {
      ...a,
      package: { ...a.package, name: nameFor(ecosystem, n, i), ecosystem },
      ranges,
      versions,
    };
  });
  // Ubuntu LTS advisories filed for the Pro stream of the same release too, or only for it
  for (const a of [...affected]) {
    const m = /^Ubuntu:(\d+\.\d+):LTS$/.exec(a.package.ecosystem);
    const roll = rand();
    if (m && roll < 0.3)
      affected.push({ ...a, package: { ...a.package, ecosystem: `Ubuntu:Pro:${m[1]}:LTS` } });
    else if (m && roll < 0.6) a.package = { ...a.package, ecosystem: `Ubuntu:Pro:${m[1]}:LTS` };
  }
  // ids shared with a few other records (severity from an aliased record)
  const shared = (ids: unknown) => (Array.isArray(ids) ? ids.map((x) => `${x}-${i % 2}`) : ids);
  return {
    ...t,
    id: `SYN-${i}`,
    modified: '2026-01-01T00:00:00Z',
    aliases: shared(t.aliases),
    upstream: shared(t.upstream),
    affected,
  };
}

function pkg(p: Partial<Package> & Pick<Package, 'name' | 'version' | 'ecosystem'>): Package {
  return { purl: `pkg:generic/${p.name}@${p.version}`, path: `lock/${p.ecosystem}`, ...p };
}

/** Versions to try against a package's records: every bound, next to every bound, far below and above, unparseable. */
function versionsToTry(ecosystem: string, bounds: readonly string[]): string[] {
  const base = baseEcosystem(ecosystem);
  const dpkgLike = ['Debian', 'Ubuntu'].includes(base);
  const out = new Set<string>(
    dpkgLike ? ['0.1-1', '999:1.0-1'] : base === 'Go' ? ['v0.0.1', 'v999.0.0'] : ['0.0.1', '999.0.0'],
  );
  for (const b of bounds) {
    if (b === '0' || b.includes('*')) continue;
    out.add(b);
    if (dpkgLike) out.add(`${b}+b1`).add(`${b}~1`);
    else if (base === 'Alpine') out.add(`${b.replace(/-r(\d+)$/, (_m, r) => `-r${Number(r) + 1}`)}`);
    else out.add(`${b}.1`);
  }
  out.add('bad version!');
  return [...out];
}

interface Live {
  readonly record: OsvRecord;
}

const WONT_FIX = /will[ _-]?not[ _-]?fix|won'?t[ _-]?fix|ignored|end[ _-]of[ _-]life|no[ _-]dsa/i;

/** What a finding says about the match, as the reference computes it and as the matcher reports it. */
interface Projection {
  readonly key: string;
}

const describeMatch = (p: {
  pkg: string;
  version: string;
  id: string;
  ecosystem: string;
  matchedBy: string;
  matchedName: string;
  matchedVersion: string;
  fixed: string | undefined;
  status: string;
  listed: boolean;
  range: unknown;
}): Projection => ({
  key: [
    p.pkg,
    p.version,
    p.id,
    p.ecosystem,
    p.matchedBy,
    p.matchedName,
    p.matchedVersion,
    p.fixed ?? '-',
    p.status,
    p.listed ? 'listed' : 'range',
    JSON.stringify(p.range ?? null),
  ].join(' | '),
});

function rangeEvidence(range: OsvRange | undefined): unknown {
  if (!range) return undefined;
  const pick = (k: string) => range.events.flatMap((e) => (k in e ? [eventVersion(e)] : []));
  const more = (k: string) => (pick(k).length ? { [k]: pick(k) } : {});
  return {
    type: range.type,
    introduced: pick('introduced'),
    ...more('fixed'),
    ...more('last_affected'),
    ...more('limit'),
  };
}

/** The reference: each package against each live record, entry by entry, with evaluateAffected. */
function reference(
  packages: readonly Package[],
  os: OSInfo | undefined,
  live: ReadonlyMap<string, Live>,
  known: readonly string[],
): { matches: string[]; errors: string[] } {
  // every stored entry under (ecosystem, name as the ecosystem compares names), records by id
  const byPackage = new Map<string, { id: string; a: OsvAffected }[]>();
  for (const { record } of [...live.values()].sort((a, b) => (a.record.id < b.record.id ? -1 : 1))) {
    for (const a of record.affected) {
      const key = `${a.ecosystem}\u0000${normalizeName(a.ecosystem, a.name)}`;
      const list = byPackage.get(key) ?? [];
      list.push({ id: record.id, a });
      byPackage.set(key, list);
    }
  }
  const matches: string[] = [];
  const errors: string[] = [];
  for (const p of packages) {
    const ecosystem = lookupEcosystem(p, os);
    const cmp = comparatorFor(ecosystem);
    if (!cmp) continue;
    const semverCmp = baseEcosystem(ecosystem) === 'Go' ? goVersion : semver;
    const rangeCmp = (t: OsvRange['type']) => (t === 'SEMVER' ? semverCmp : cmp);
    const src = p.source;
    const cands = matchesBySourceOnly(ecosystem)
      ? [
          src
            ? { name: src.name, version: src.version || p.version, by: 'source' }
            : { name: p.name, version: p.version, by: 'binary' },
        ]
      : [
          { name: p.name, version: p.version, by: 'binary' },
          ...(src && src.name !== p.name && matchesByBinaryOrSource(ecosystem)
            ? [{ name: src.name, version: src.version || p.version, by: 'source' }]
            : []),
        ];
    const seen = new Set<string>();
    for (const cand of cands) {
      const entries: { id: string; a: OsvAffected }[] = [];
      for (const e of applicableEcosystems(ecosystem, known)) {
        entries.push(...(byPackage.get(`${e}\u0000${normalizeName(e, cand.name)}`) ?? []));
      }
      if (entries.length === 0) continue;
      if (!cmp.isValid(cand.version)) {
        errors.push(
          `${p.name}: ${cmp.scheme} version "${cand.version}" cannot be parsed; ${entries.length} advisories not checked`,
        );
        break;
      }
      for (const { id, a } of entries) {
        if (seen.has(id)) continue;
        const affected = { ...a, ranges: a.ranges.filter((r) => r.type !== 'GIT') };
        try {
          const v = evaluateAffected(cand.version, affected, rangeCmp);
          if (!v.affected) continue;
          seen.add(id);
          const fixed = v.fixes[0];
          const signals = [
            a.ecosystemSpecific?.status,
            a.ecosystemSpecific?.fix_status,
            a.databaseSpecific?.status,
            a.databaseSpecific?.fix_status,
          ];
          const status = fixed
            ? 'fixed'
            : signals.some((s) => typeof s === 'string' && WONT_FIX.test(s))
              ? 'will_not_fix'
              : 'affected';
          matches.push(
            describeMatch({
              pkg: p.name,
              version: p.version,
              id,
              ecosystem: a.ecosystem,
              matchedBy: cand.by,
              matchedName: a.name,
              matchedVersion: cand.version,
              fixed,
              status,
              listed: v.via === 'versions',
              range: rangeEvidence(v.range),
            }).key,
          );
        } catch (err) {
          errors.push(`${p.name} ${cand.version}: advisory ${id}: ${(err as Error).message}`);
        }
      }
    }
  }
  return { matches, errors };
}

describe('the matcher against a plain per-package reference (5,000 generated advisories)', {
  timeout: 120_000,
}, () => {
  let dir: string;
  let db: AdvisoryDb;
  const live = new Map<string, Live>();
  const packages: Package[] = [];
  const debianPackages: Package[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-match-diff-'));
    db = openAdvisoryDb(join(dir, 'strata.db'));
    const records = Array.from({ length: ADVISORIES }, (_, i) => generate(i));
    // some records come again, newer (replacing) or withdrawn (never matching again)
    const again = records
      .filter(() => rand() < 0.05)
      .map((r) => {
        const withdrawn = rand() < 0.4;
        const next = generate(Number(String(r.id).slice(4)));
        return {
          ...next,
          id: r.id,
          modified: '2026-02-01T00:00:00Z',
          ...(withdrawn ? { withdrawn: '2026-02-01T00:00:00Z' } : {}),
        };
      });
    db.transaction(() => {
      for (const raw of [...records, ...again]) {
        const record = parseOsvRecord(raw);
        db.upsert(record);
        if (record.withdrawn) live.delete(record.id);
        else live.set(record.id, { record });
      }
    });

    // the inventory: every generated package name at every interesting version
    const bounds = new Map<string, Set<string>>();
    for (const { record } of live.values()) {
      for (const a of record.affected) {
        const key = `${a.ecosystem}\u0000${a.name}`;
        const set = bounds.get(key) ?? new Set<string>();
        for (const r of a.ranges) for (const e of r.events) set.add(eventVersion(e));
        for (const v of a.versions) set.add(v);
        bounds.set(key, set);
      }
    }
    for (const [key, set] of bounds) {
      const [stored, name] = key.split('\u0000') as [string, string];
      // advisories of the Pro stream apply to the packages of the LTS release
      const ecosystem = stored.replace(/^Ubuntu:Pro:/, 'Ubuntu:');
      const versions = versionsToTry(ecosystem, [...set]);
      // at most a dozen per package (the unparseable one always), chosen by the seeded generator
      while (versions.length > 12) versions.splice(Math.floor(rand() * (versions.length - 1)), 1);
      for (const version of versions) {
        if (ecosystem === 'Debian:12') {
          // the scanned OS gives the release; binary packages named after their source
          debianPackages.push(
            pkg({ name: `lib${name}`, version, ecosystem: 'Debian', source: { name, version } }),
          );
          debianPackages.push(pkg({ name, version, ecosystem: 'Debian' }));
        } else {
          packages.push(pkg({ name, version, ecosystem }));
        }
      }
    }
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const project = (packagesIn: readonly Package[], os: OSInfo | undefined) => {
    const { findings, errors } = detectVulnerabilities(packagesIn, os, db);
    return {
      matches: findings.map(
        (f) =>
          describeMatch({
            pkg: f.package!.name,
            version: f.package!.version,
            id: f.id,
            ecosystem: String(f.evidence.ecosystem),
            matchedBy: String(f.evidence.matchedBy),
            matchedName: String(f.evidence.matchedName),
            matchedVersion: String(f.evidence.matchedVersion),
            fixed: f.fixedVersion,
            status: String(f.status),
            listed: f.evidence.versionListed === true,
            range: f.evidence.range,
          }).key,
      ),
      errors: errors.map((e) => {
        expect(e.analyzer).toBe(MATCHER_NAME);
        return e.message;
      }),
    };
  };

  it('generates a database and an inventory worth comparing', () => {
    console.log(`${live.size} advisories, ${packages.length} + ${debianPackages.length} packages`);
    expect(live.size).toBeGreaterThan(4500);
    expect(packages.length + debianPackages.length).toBeGreaterThan(1000);
    const ref = reference(packages, undefined, live, db.knownEcosystems());
    // the comparison below means something only if every kind of outcome occurs
    expect(ref.matches.length).toBeGreaterThan(1000);
    expect(ref.matches.some((m) => m.includes('| listed |'))).toBe(true);
    expect(ref.matches.some((m) => m.includes('"last_affected"'))).toBe(true);
    expect(ref.matches.some((m) => m.includes('"limit"'))).toBe(true);
    expect(ref.matches.some((m) => m.includes('Ubuntu:Pro:'))).toBe(true);
    expect(ref.errors.some((e) => e.includes('cannot be parsed'))).toBe(true);
    expect(ref.errors.some((e) => e.includes('bad version!') && e.includes(': advisory '))).toBe(true);
  });

  it('finds the same matches and errors as the reference, in the same order', () => {
    const got = project(packages, undefined);
    const ref = reference(packages, undefined, live, db.knownEcosystems());
    expect(got.matches.length).toBe(ref.matches.length);
    expect(got.matches).toEqual(ref.matches);
    expect(got.errors).toEqual(ref.errors);
  });

  it('matches Debian binary packages through their source package with the release from the OS', () => {
    const os: OSInfo = { family: 'debian', version: '12.5' };
    const got = project(debianPackages, os);
    const ref = reference(debianPackages, os, live, db.knownEcosystems());
    expect(ref.matches.some((m) => m.includes('| source |'))).toBe(true);
    expect(got.matches).toEqual(ref.matches);
    expect(got.errors).toEqual(ref.errors);
  });

  it('gives the same answer again on the same handle (entries and compiled ranges reused)', () => {
    const first = project(packages, undefined);
    const second = project([...packages].reverse(), undefined);
    expect([...second.matches].sort()).toEqual([...first.matches].sort());
    expect([...second.errors].sort()).toEqual([...first.errors].sort());
  });

  it('sees a record replaced on the same handle after it was matched (no stale cache)', () => {
    const target = packages.find((p) => project([p], undefined).matches.length > 0)!;
    const before = project([target], undefined).matches;
    const id = before[0]!.split(' | ')[2]!;
    const old = live.get(id)!.record;
    db.upsert({ ...old, modified: '2027-01-01T00:00:00Z', withdrawn: '2027-01-01T00:00:00Z' });
    const after = project([target], undefined).matches;
    expect(after.some((m) => m.split(' | ')[2] === id)).toBe(false);
    expect(after.length).toBe(before.filter((m) => m.split(' | ')[2] !== id).length);
  });
});
