// Issue 19: Strata side by side with Trivy, Syft and osv-scanner on the same three images, offline,
// in paired runs (Strata and the peer alternate; one warm-up each, then BENCH_REPEAT pairs, default 5):
//   inventory            strata image --scanners ''      vs trivy image --scanners '' --list-all-pkgs   goal <= 0.80
//   inventory+secrets    strata image --scanners secret  vs trivy image --scanners secret --list-all-pkgs goal <= 0.80
//   vuln                 strata image --scanners vuln    vs osv-scanner scan image --offline             goal <= 0.80
//   sbom                 strata sbom (CycloneDX)         vs syft -o cyclonedx-json                       (reported)
// on
//   debian  2 layers: debootstrap minbase bookworm + dpkg -i of two more Debian packages
//   app     4 layers: npm project (node_modules + package-lock), Python site-packages + requirements.txt,
//           a Go binary built here (two modules from the Go module proxy), files holding secrets
//   big     7 layers, ~550 MiB: Debian base, a Java runtime and jars (Debian's packages), a Python venv,
//           a Node app, a Go binary, configuration with secrets
// written once as docker-archive tarballs every tool reads (cached under $STRATA_TEST_CACHE/bench-peers,
// else .cache/bench/peers). The advisories: the real OSV corpus (../shared/corpus/osv when present,
// else data/demo-osv) plus synthetic clones up to 100,000 records, imported into a Strata database
// (`strata db import`) and the same records zipped per ecosystem for osv-scanner
// (XDG_CACHE_HOME=DIR: DIR/osv-scalibr/<Ecosystem>/all.zip). Trivy has no offline vulnerability database here, so it is
// compared on inventory and secrets only. Nothing touches the internet while measuring (building the
// images once uses the Debian mirror, the npm registry, PyPI and the Go module proxy).
//
//   npm run build && node bench/peers.bench.mjs [--only debian,app] [--cmp inventory,vuln]
//   BENCH_REPEAT=3 node bench/peers.bench.mjs
//   STRATA_DIST=.cache/dist-frozen node bench/peers.bench.mjs   (a copy of dist/)
//
// A peer missing from PATH and ~/go/bin is built once with `go install` (the versions below; trivy
// 0.70+ needs GOEXPERIMENT=jsonv2 on Go 1.26; minutes on a 2-core machine; BENCH_NO_BUILD=1 skips
// this). A peer that still cannot be had skips its comparisons with a line saying so; Strata's own
// times are still measured and printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { writeZip } from './zip.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const RECORDS = Number(process.env.BENCH_OSV_RECORDS ?? 100_000);
const CACHE = process.env.STRATA_TEST_CACHE
  ? join(process.env.STRATA_TEST_CACHE, 'bench-peers')
  : join(root, '.cache', 'bench', 'peers');
const FIXTURES = process.env.STRATA_TEST_CACHE ?? join(root, '.cache', 'test-fixtures');
const MIRROR = 'http://deb.debian.org/debian';
// STRATA_DIST: a build elsewhere (a frozen copy, so that rebuilding during a long run changes nothing)
const STRATA = join(resolve(process.env.STRATA_DIST ?? join(root, 'dist')), 'cli', 'main.js');

const args = process.argv.slice(2);
const listArg = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : new Set(args[i + 1].split(',').filter(Boolean));
};
const onlyImages = listArg('--only');
const onlyCmp = listArg('--cmp');

if (!existsSync(STRATA)) {
  console.error('peers bench: no build found; run `npm run build` first');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// helpers

function run(cmd, argv, opts = {}) {
  return execFileSync(cmd, argv, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    ...opts,
  });
}

function log(message) {
  console.error(`[peers] ${message}`);
}

/** Builds `name` once into CACHE/name (a `.done` marker), like test/support/cache.ts. */
function fixture(name, build) {
  const dir = join(CACHE, name);
  if (existsSync(join(dir, '.done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  log(`building ${name} (once; cached in ${dir})`);
  try {
    build(dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  writeFileSync(join(dir, '.done'), new Date().toISOString());
  log(`built ${name} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

function which(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), 'go', 'bin')];
  for (const d of dirs) {
    const p = join(d, name);
    if (d && existsSync(p)) return p;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// images: OCI layouts built layer by layer with umoci (as test/support/layered-image.ts does),
// exported with skopeo as docker-archive tarballs (uncompressed layers; what `docker save` writes)

/** debootstrap minbase bookworm: the tests' shared root filesystem when it exists, else our own. */
function debootstrapRootfs() {
  const shared = join(FIXTURES, 'debootstrap-bookworm');
  if (existsSync(join(shared, '.done'))) return join(shared, 'rootfs');
  const dir = fixture('debootstrap-bookworm', (d) => {
    run('debootstrap', ['--variant=minbase', 'bookworm', join(d, 'rootfs'), MIRROR]);
    rmSync(join(d, 'rootfs/var/cache/apt/archives'), { recursive: true, force: true });
    mkdirSync(join(d, 'rootfs/var/cache/apt/archives/partial'), { recursive: true });
  });
  return join(dir, 'rootfs');
}

/** steps: [{ createdBy, apply(rootfs) }] -> DIR/image.tar (docker-archive, tag strata-bench/NAME:latest) */
function buildImage(dir, name, steps) {
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  run('umoci', ['init', '--layout', layout]);
  run('umoci', ['new', '--image', `${layout}:latest`]);
  run('umoci', ['unpack', '--image', `${layout}:latest`, bundle]);
  const rootfs = join(bundle, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  for (const step of steps) {
    step.apply(rootfs);
    run('umoci', [
      'repack',
      '--refresh-bundle',
      '--image',
      `${layout}:latest`,
      '--history.created_by',
      step.createdBy,
      bundle,
    ]);
  }
  rmSync(bundle, { recursive: true, force: true });
  run('skopeo', [
    'copy',
    '--quiet',
    `oci:${layout}:latest`,
    `docker-archive:${join(dir, 'image.tar')}:strata-bench/${name}:latest`,
  ]);
  rmSync(layout, { recursive: true, force: true });
}

function copyBase(rootfs) {
  rmSync(rootfs, { recursive: true, force: true });
  run('cp', ['-a', debootstrapRootfs(), rootfs]);
}

function aptDownload(dir, names) {
  mkdirSync(dir, { recursive: true });
  run('apt-get', ['download', '-q', ...names], { cwd: dir });
  return readdirSync(dir)
    .filter((f) => f.endsWith('.deb'))
    .map((f) => join(dir, f));
}

/** dpkg -i inside the root (real status, info/*.list, md5sums); dependencies are already there */
function dpkgInstall(rootfs, debs) {
  mkdirSync(join(rootfs, 'tmp/debs'), { recursive: true });
  for (const f of debs) cpSync(f, join(rootfs, 'tmp/debs', f.split('/').at(-1)));
  run('chroot', [rootfs, 'sh', '-c', 'dpkg --force-depends -i /tmp/debs/*.deb']);
  rmSync(join(rootfs, 'tmp/debs'), { recursive: true, force: true });
}

/** an npm project installed from the registry: package.json, package-lock.json, node_modules */
function npmProject(dir, name, deps) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true, dependencies: deps }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir });
}

const PY_APP = [
  'requests==2.25.1',
  'urllib3==1.26.4',
  'idna==2.10',
  'chardet==4.0.0',
  'certifi==2020.12.5',
  'Jinja2==2.11.3',
  'Flask==1.1.2',
  'Werkzeug==1.0.1',
  'itsdangerous==1.1.0',
  'click==7.1.2',
  'Django==3.2.4',
];

function pipTarget(target, reqs) {
  run(
    'python3',
    ['-m', 'pip', 'install', '-q', '--no-deps', '--only-binary=:all:', '--target', target, ...reqs],
    { env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } },
  );
}

/** a Go binary with module build info (two modules from the proxy, an old golang.org/x/text) */
function goBinary(work, out) {
  const src = join(work, 'gosrc');
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, 'go.mod'),
    'module example.com/strata-bench/server\n\ngo 1.21\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgolang.org/x/text v0.3.7\n)\n',
  );
  writeFileSync(
    join(src, 'main.go'),
    [
      'package main',
      '',
      'import (',
      '\t"fmt"',
      '\t"github.com/google/uuid"',
      '\t"golang.org/x/text/language"',
      ')',
      '',
      'func main() { fmt.Println(uuid.NewString(), language.English) }',
      '',
    ].join('\n'),
  );
  run('go', ['mod', 'tidy'], { cwd: src, env: { ...process.env, GOFLAGS: '-mod=mod' } });
  run('go', ['build', '-trimpath', '-o', out, '.'], {
    cwd: src,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
  });
}

/** secrets as scanners find them in real images: AWS keys, a GitHub token, a Slack token, a private key */
function secretFiles(rootfs, prefix) {
  const alnum = (n, set = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') =>
    Array.from(randomBytes(n), (b) => set[b % set.length]).join('');
  const b62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const aws = `AKIA${alnum(16)}`;
  const awsSecret = alnum(40, `${b62}/+`);
  mkdirSync(join(rootfs, prefix), { recursive: true });
  writeFileSync(
    join(rootfs, prefix, '.env'),
    `DATABASE_URL=postgres://app@db:5432/app\nAWS_ACCESS_KEY_ID=${aws}\nAWS_SECRET_ACCESS_KEY=${awsSecret}\n`,
  );
  writeFileSync(
    join(rootfs, prefix, 'deploy.sh'),
    `#!/bin/sh\nexport GITHUB_TOKEN=ghp_${alnum(36, b62)}\ncurl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/user\n`,
  );
  writeFileSync(
    join(rootfs, prefix, 'notify.json'),
    JSON.stringify({
      slack: `xoxb-${randomBytes(6).readUIntBE(0, 6)}-${randomBytes(6).readUIntBE(0, 6)}-${alnum(24, b62)}`,
    }),
  );
  const key = run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
  mkdirSync(join(rootfs, 'root/.ssh'), { recursive: true });
  writeFileSync(join(rootfs, 'root/.ssh/id_rsa'), key, { mode: 0o600 });
}

const IMAGES = {
  debian: () =>
    fixture('image-debian', (dir) => {
      const debs = aptDownload(join(dir, 'debs'), ['libexpat1', 'libsqlite3-0']);
      buildImage(dir, 'debian', [
        { createdBy: 'debootstrap --variant=minbase bookworm', apply: copyBase },
        { createdBy: 'dpkg -i libexpat1 libsqlite3-0', apply: (r) => dpkgInstall(r, debs) },
      ]);
      rmSync(join(dir, 'debs'), { recursive: true, force: true });
    }),
  app: () =>
    fixture('image-app', (dir) => {
      const work = join(dir, 'work');
      buildImage(dir, 'app', [
        {
          createdBy: 'COPY node app (npm ci)',
          apply: (r) =>
            npmProject(join(r, 'app/web'), 'web', {
              express: '4.17.1',
              lodash: '4.17.20',
              minimist: '1.2.5',
              jsonwebtoken: '8.5.1',
              axios: '0.21.1',
              moment: '2.29.1',
            }),
        },
        {
          createdBy: 'pip install -r requirements.txt',
          apply: (r) => {
            pipTarget(join(r, 'usr/local/lib/python3.11/site-packages'), PY_APP);
            mkdirSync(join(r, 'app'), { recursive: true });
            writeFileSync(join(r, 'app/requirements.txt'), `${PY_APP.join('\n')}\n`);
          },
        },
        {
          createdBy: 'COPY server /usr/local/bin/server (go build)',
          apply: (r) => {
            mkdirSync(join(r, 'usr/local/bin'), { recursive: true });
            goBinary(work, join(r, 'usr/local/bin/server'));
          },
        },
        { createdBy: 'COPY config /app/config', apply: (r) => secretFiles(r, 'app/config') },
      ]);
      rmSync(work, { recursive: true, force: true });
    }),
  big: () =>
    fixture('image-big', (dir) => {
      const work = join(dir, 'work');
      buildImage(dir, 'big', [
        { createdBy: 'debootstrap --variant=minbase bookworm', apply: copyBase },
        {
          createdBy: 'apt-get install openjdk-17-jre-headless',
          apply: (r) => {
            const debs = aptDownload(join(work, 'jre'), ['openjdk-17-jre-headless', 'ca-certificates-java']);
            for (const d of debs) run('dpkg-deb', ['-x', d, r]);
          },
        },
        {
          createdBy: 'COPY lib/*.jar /app/lib/',
          apply: (r) => {
            const debs = aptDownload(join(work, 'jars'), [
              'liblog4j2-java',
              'libjackson2-databind-java',
              'libjackson2-core-java',
              'libjackson2-annotations-java',
              'libcommons-text-java',
              'libcommons-lang3-java',
              'libguava-java',
              'libyaml-snake-java',
            ]);
            const x = join(work, 'jars-x');
            for (const d of debs) run('dpkg-deb', ['-x', d, x]);
            mkdirSync(join(r, 'app/lib'), { recursive: true });
            for (const f of readdirSync(join(x, 'usr/share/java'), { withFileTypes: true })) {
              // the versioned file, not its unversioned symlink
              if (f.isFile() && f.name.endsWith('.jar'))
                cpSync(join(x, 'usr/share/java', f.name), join(r, 'app/lib', f.name));
            }
          },
        },
        {
          createdBy: 'python3 -m venv /opt/venv && pip install ...',
          apply: (r) => {
            const venv = join(r, 'opt/venv');
            run('python3', ['-m', 'venv', '--without-pip', venv]);
            const site = join(venv, 'lib/python3.11/site-packages');
            pipTarget(site, [
              ...PY_APP,
              'numpy==1.26.4',
              'pandas==2.1.4',
              'python-dateutil==2.8.2',
              'pytz==2023.3',
              'six==1.16.0',
              'tzdata==2023.3',
            ]);
          },
        },
        {
          createdBy: 'COPY web /srv/web (npm ci)',
          apply: (r) =>
            npmProject(join(r, 'srv/web'), 'web', {
              express: '4.17.1',
              lodash: '4.17.20',
              moment: '2.29.1',
              axios: '0.21.1',
              typescript: '5.4.5',
              webpack: '5.88.2',
              'socket.io': '4.6.1',
            }),
        },
        {
          createdBy: 'COPY server /usr/local/bin/server (go build)',
          apply: (r) => {
            mkdirSync(join(r, 'usr/local/bin'), { recursive: true });
            goBinary(work, join(r, 'usr/local/bin/server'));
          },
        },
        { createdBy: 'COPY config /etc/app', apply: (r) => secretFiles(r, 'etc/app') },
      ]);
      rmSync(work, { recursive: true, force: true });
    }),
};

// ---------------------------------------------------------------------------------------------
// the advisories: real records + synthetic clones, as an export tree for `strata db import` and as
// osv-scanner's offline database (XDG_CACHE_HOME=DIR: DIR/osv-scalibr/<Ecosystem>/all.zip)

/** osv.dev's export folders: the ecosystem without its release suffix (Debian:12 -> Debian) */
const exportName = (ecosystem) => ecosystem.split(':')[0];

/** synthetic share of each ecosystem (of RECORDS minus the real ones), roughly as on osv.dev */
const SHARES = { Debian: 0.3, npm: 0.2, PyPI: 0.15, Go: 0.1, Maven: 0.15, Alpine: 0.05, 'crates.io': 0.05 };

/** The records imported into DIR/strata.db, again when the build's database schema changed since. */
function osvData() {
  const dir = osvExport();
  const db = join(dir, 'strata.db');
  const ok = () =>
    spawnSync(process.execPath, [STRATA, 'db', 'status', '--db', db, '--format', 'json'], { stdio: 'ignore' })
      .status === 0;
  if (!existsSync(db) || !ok()) {
    log(`importing the advisories into ${db} (once per database schema)`);
    rmSync(db, { force: true });
    execFileSync(
      process.execPath,
      [STRATA, 'db', 'import', '--quiet', '--db', db, join(dir, 'osv-scalibr')],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  return dir;
}

function osvExport() {
  return fixture(`osv-${RECORDS}`, (dir) => {
    const shared = resolve(root, '..', 'shared', 'corpus', 'osv');
    const source = existsSync(shared) ? shared : join(root, 'data', 'demo-osv');
    const byEco = new Map();
    const add = (eco, id, record) => {
      if (!byEco.has(eco)) byEco.set(eco, []);
      byEco.get(eco).push([`${id}.json`, Buffer.from(JSON.stringify(record))]);
    };
    const templates = new Map();
    let real = 0;
    for (const d of readdirSync(source, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      for (const f of readdirSync(join(source, d.name))) {
        if (!f.endsWith('.json')) continue;
        let record;
        try {
          record = JSON.parse(readFileSync(join(source, d.name, f), 'utf8'));
        } catch {
          continue;
        }
        const ecos = [...new Set((record.affected ?? []).map((a) => a.package?.ecosystem).filter(Boolean))];
        if (!record.id || ecos.length === 0) continue;
        // one export per ecosystem, as osv.dev serves them (a record naming two sits in both)
        for (const eco of new Set(ecos.map(exportName))) add(eco, record.id, record);
        real += 1;
        const t = exportName(ecos[0]);
        if (!templates.has(t)) templates.set(t, []);
        if (!record.withdrawn) templates.get(t).push(record);
      }
    }
    // Maven has no real records here: npm ones re-labelled (SEMVER/ECOSYSTEM ranges alike)
    if (!templates.has('Maven')) templates.set('Maven', templates.get('npm') ?? templates.get('PyPI'));
    const synthetic = Math.max(0, RECORDS - real);
    let n = 0;
    for (const [eco, share] of Object.entries(SHARES)) {
      const pool = templates.get(eco) ?? templates.get('PyPI');
      const count = Math.round(synthetic * share);
      for (let i = 0; i < count; i++, n++) {
        const t = pool[i % pool.length];
        const name =
          eco === 'Maven'
            ? `org.synthetic:artifact-${Math.floor(i / 5)}`
            : `synthetic-${eco.toLowerCase()}-${Math.floor(i / 5)}`;
        const release = eco === 'Debian' ? 'Debian:12' : eco === 'Alpine' ? 'Alpine:v3.19' : eco;
        const id = `SYN-${eco.replace(/\W/g, '')}-${String(i).padStart(6, '0')}`;
        add(eco, id, {
          ...t,
          id,
          aliases: [],
          modified: '2026-01-01T00:00:00Z',
          affected: (t.affected ?? []).slice(0, 1).map((a) => ({
            ...a,
            package: { ecosystem: release, name },
          })),
        });
      }
    }
    let total = 0;
    for (const [eco, entries] of byEco) {
      // strata imports the export tree; osv-scanner reads osv-scalibr/<Ecosystem>/all.zip
      writeZip(join(dir, 'osv-scalibr', eco, 'all.zip'), entries);
      total += entries.length;
    }
    // the ecosystems osv-scanner meets in these images with no records here still need a zip
    for (const eco of ['Maven', 'npm', 'PyPI', 'Go', 'Debian', 'crates.io', 'Alpine', 'Ubuntu']) {
      if (!existsSync(join(dir, 'osv-scalibr', eco, 'all.zip')))
        writeZip(join(dir, 'osv-scalibr', eco, 'all.zip'), []);
    }
    log(
      `advisories: ${real} real (${source}) + ${n} synthetic = ${total} records in ${byEco.size} ecosystems`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// measuring

/** wall seconds, peak RSS (MiB) and CPU seconds of one run of argv, via GNU time */
function timed(argv, env = {}, okCodes = [0]) {
  const stats = join(tmp, 'time.txt');
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%e %M %U %S', ...argv], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const line = readFileSync(stats, 'utf8').trim().split('\n').at(-1);
  const [, maxKb, user, sys] = line.split(' ').map(Number);
  const code = r.status ?? -1;
  if (!okCodes.includes(code)) {
    throw new Error(
      `${argv.slice(0, 3).join(' ')} ... exited ${code}: ${(r.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
  return { wall, rssMiB: maxKb / 1024, cpu: user + sys };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const tmp = mkdtempSync(join(tmpdir(), 'strata-peers-bench-'));
// Strata's layer cache (--cache-backend): the cold runs keep it in memory for the run only, as Trivy
// runs here (--cache-backend memory); a warm column re-runs Strata over a cache a first run filled.
const strataHelp = run(process.execPath, [STRATA, 'image', '--help']);
const hasLayerCache = /--cache-backend\b/.test(strataHelp);
const coldCache = hasLayerCache ? ['--cache-backend', 'memory'] : [];
/** the same Strata command over a persistent layer cache in `dir` */
const warmCommand = (argv, dir) => [
  ...argv.filter((a, i) => a !== '--cache-backend' && argv[i - 1] !== '--cache-backend'),
  '--cache-backend',
  'sqlite',
  '--cache-dir',
  dir,
];
/** The peers and how `go install` builds them (docs: ../shared/ENVIRONMENT.md "Comparison peers"). */
const PEER_MODULES = {
  trivy: { module: 'github.com/aquasecurity/trivy/cmd/trivy@v0.74.0', env: { GOEXPERIMENT: 'jsonv2' } },
  syft: { module: 'github.com/anchore/syft/cmd/syft@v1.51.0', env: {} },
  'osv-scanner': { module: 'github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.0', env: {} },
};

/** The peer's binary: found, else built with `go install` (once), else undefined. */
function peerBinary(name) {
  const found = which(name);
  if (found || process.env.BENCH_NO_BUILD === '1' || !which('go')) return found;
  const { module, env } = PEER_MODULES[name];
  log(`building ${name} with go install ${module} (once; minutes)`);
  const r = spawnSync('go', ['install', module], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 60 * 60 * 1000,
  });
  if (r.status !== 0) {
    log(`go install ${module} failed: ${(r.stderr ?? r.error?.message ?? '').trim().split('\n').at(-1)}`);
    return undefined;
  }
  return which(name);
}

const peerBins = {
  trivy: peerBinary('trivy'),
  syft: peerBinary('syft'),
  'osv-scanner': peerBinary('osv-scanner'),
};
const out = (name) => join(tmp, name);

/** per comparison: Strata's command and the peer's, for one image archive */
function comparisons(archive, osvDir) {
  const strata = (...a) => [process.execPath, STRATA, ...a];
  const trivyCommon = [
    'image',
    '--input',
    archive,
    '--skip-db-update',
    '--skip-java-db-update',
    '--offline-scan',
    '--cache-backend',
    'memory',
    '--quiet',
    '--format',
    'json',
    '--list-all-pkgs',
  ];
  const trivyEnv = { TRIVY_CACHE_DIR: join(tmp, 'trivy-cache'), TRIVY_NO_PROGRESS: 'true' };
  const common = ['--offline', '--quiet', '--format', 'json', ...coldCache];
  return [
    {
      name: 'inventory',
      peer: 'trivy',
      goal: 0.8,
      strata: strata(
        'image',
        `docker-archive:${archive}`,
        '--scanners',
        '',
        ...common,
        '-o',
        out('s-inv.json'),
      ),
      other: [peerBins.trivy, ...trivyCommon, '--scanners', '', '--output', out('t-inv.json')],
      env: trivyEnv,
    },
    {
      name: 'inventory+secrets',
      peer: 'trivy',
      goal: 0.8,
      strata: strata(
        'image',
        `docker-archive:${archive}`,
        '--scanners',
        'secret',
        ...common,
        '-o',
        out('s-sec.json'),
      ),
      other: [peerBins.trivy, ...trivyCommon, '--scanners', 'secret', '--output', out('t-sec.json')],
      env: trivyEnv,
    },
    {
      name: 'vuln',
      peer: 'osv-scanner',
      goal: 0.8,
      strata: strata(
        'image',
        `docker-archive:${archive}`,
        '--scanners',
        'vuln',
        '--db',
        join(osvDir, 'strata.db'),
        ...common,
        '-o',
        out('s-vuln.json'),
      ),
      other: [
        peerBins['osv-scanner'],
        'scan',
        'image',
        '--archive',
        '--offline',
        '--format',
        'json',
        '--output-file',
        out('o-vuln.json'),
        archive,
      ],
      // osv-scanner 2.x reads its offline database from os.UserCacheDir()/osv-scalibr/<Ecosystem>/all.zip
      env: { XDG_CACHE_HOME: osvDir },
      // osv-scanner exits 1 when it found vulnerabilities, 128 when it found no packages
      okCodes: [0, 1, 128],
    },
    {
      name: 'sbom',
      peer: 'syft',
      goal: undefined,
      strata: strata(
        'sbom',
        `docker-archive:${archive}`,
        ...coldCache,
        '--offline',
        '--quiet',
        '--format',
        'cyclonedx',
        '-o',
        out('s-sbom.json'),
      ),
      other: [peerBins.syft, `docker-archive:${archive}`, '-q', '-o', `cyclonedx-json=${out('y-sbom.json')}`],
      env: { SYFT_CHECK_FOR_APP_UPDATE: 'false', SYFT_CACHE_DIR: join(tmp, 'syft-cache') },
    },
  ];
}

/** what each output holds: packages (and findings), so a ratio is not bought by doing less */
function counts(name, file) {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    if (j.bomFormat === 'CycloneDX') return `${(j.components ?? []).length} components`;
    if (Array.isArray(j.Results)) {
      const pk = j.Results.reduce((n, r) => n + (r.Packages?.length ?? 0), 0);
      const se = j.Results.reduce((n, r) => n + (r.Secrets?.length ?? 0), 0);
      return `${pk} packages, ${se} secrets`;
    }
    if (Array.isArray(j.results)) {
      const pk = j.results.reduce((n, r) => n + (r.packages?.length ?? 0), 0);
      const v = j.results.reduce(
        (n, r) => n + (r.packages ?? []).reduce((m, p) => m + (p.vulnerabilities?.length ?? 0), 0),
        0,
      );
      return `${pk} packages, ${v} vulnerabilities`;
    }
    if (Array.isArray(j.packages) || Array.isArray(j.findings)) {
      const byType = {};
      for (const f of j.findings ?? [])
        byType[f.type ?? f.kind ?? 'finding'] = (byType[f.type ?? f.kind ?? 'finding'] ?? 0) + 1;
      const fs = Object.entries(byType).map(([k, v]) => `${v} ${k}`);
      return [`${(j.packages ?? []).length} packages`, ...fs].join(', ');
    }
    return 'unknown shape';
  } catch (err) {
    return `unreadable (${name}: ${err.message})`;
  }
}

const rows = [];
try {
  const osvDir = osvData();
  for (const [imageName, build] of Object.entries(IMAGES)) {
    if (onlyImages && !onlyImages.has(imageName)) continue;
    const archive = join(build(), 'image.tar');
    const layers = JSON.parse(run('tar', ['-xOf', archive, 'manifest.json']))[0].Layers.length;
    const mib = statSync(archive).size / 1048576;
    console.log(`\n== ${imageName}: ${layers} layers, ${mib.toFixed(0)} MiB (${archive})`);
    for (const c of comparisons(archive, osvDir)) {
      if (onlyCmp && !onlyCmp.has(c.name)) continue;
      const peerMissing = !peerBins[c.peer];
      if (peerMissing)
        console.log(
          `SKIP ${c.name} ${imageName}: ${c.peer} not found in PATH or ~/go/bin (Strata measured alone)`,
        );
      const okCodes = c.okCodes ?? [0];
      // one warm-up each (page cache, the DB file), then paired runs, alternating
      timed(c.strata);
      if (!peerMissing) timed(c.other, c.env, okCodes);
      const s = [];
      const p = [];
      for (let i = 0; i < REPEAT; i++) {
        const first = i % 2 === 0;
        if (first || peerMissing) s.push(timed(c.strata));
        if (!peerMissing) p.push(timed(c.other, c.env, okCodes));
        if (!first && !peerMissing) s.push(timed(c.strata));
      }
      const strataOut = c.strata[c.strata.indexOf('-o') + 1];
      const peerOut = peerMissing
        ? undefined
        : c.other.find((a) => a.includes(tmp) && a.endsWith('.json'))?.replace(/^[^=]*=/, '');
      const row = {
        image: imageName,
        comparison: c.name,
        peer: c.peer,
        strataS: median(s.map((r) => r.wall)),
        strataCpuS: median(s.map((r) => r.cpu)),
        strataMiB: Math.max(...s.map((r) => r.rssMiB)),
        strataHolds: counts('strata', strataOut),
        goalOf: c.goal,
      };
      if (!peerMissing) {
        row.peerS = median(p.map((r) => r.wall));
        row.peerCpuS = median(p.map((r) => r.cpu));
        row.peerMiB = Math.max(...p.map((r) => r.rssMiB));
        row.peerHolds = counts(c.peer, peerOut);
        row.ratio = row.strataS / row.peerS;
        row.memRatio = row.strataMiB / row.peerMiB;
        row.goal = c.goal;
      }
      rows.push(row);
      console.log(
        `${imageName} ${c.name}: strata ${row.strataS.toFixed(2)} s (${row.strataCpuS.toFixed(2)} s CPU, ${row.strataMiB.toFixed(0)} MiB; ${row.strataHolds})` +
          (peerMissing
            ? ''
            : ` | ${c.peer} ${row.peerS.toFixed(2)} s (${row.peerCpuS.toFixed(2)} s CPU, ${row.peerMiB.toFixed(0)} MiB; ${row.peerHolds}) | ratio ${row.ratio.toFixed(2)}`),
      );
      if (hasLayerCache) {
        // a first run fills the cache (not timed), then the same scan again, every layer replayed
        const warm = warmCommand(c.strata, join(tmp, `layer-cache-${imageName}-${c.name}`));
        timed(warm);
        const w = [];
        for (let i = 0; i < REPEAT; i++) w.push(timed(warm));
        row.warmS = median(w.map((r) => r.wall));
        row.warmCpuS = median(w.map((r) => r.cpu));
        if (row.peerS !== undefined) row.warmRatio = row.warmS / row.peerS;
        console.log(
          `${imageName} ${c.name}: strata over a warm layer cache ${row.warmS.toFixed(2)} s (${row.warmCpuS.toFixed(2)} s CPU)` +
            (row.warmRatio === undefined ? '' : ` | ratio ${row.warmRatio.toFixed(2)}`),
        );
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log(
  `\nmedian wall seconds of ${REPEAT} paired runs; cpu = user+sys seconds; MiB = peak RSS; warm = Strata again over its filled layer cache`,
);
console.log(
  'image   comparison         peer          strata s  peer s   ratio  goal     cpu ratio  strata MiB  peer MiB  mem ratio  warm s  warm ratio',
);
for (const r of rows) {
  const f = (x, d = 2) => (x === undefined ? '-' : x.toFixed(d));
  const cpuRatio = r.peerCpuS === undefined ? undefined : r.strataCpuS / r.peerCpuS;
  console.log(
    `${r.image.padEnd(7)} ${r.comparison.padEnd(18)} ${r.peer.padEnd(13)} ${f(r.strataS).padStart(8)} ${f(r.peerS).padStart(7)} ${f(r.ratio).padStart(7)}  ${(r.goalOf ? `<= ${r.goalOf.toFixed(2)}` : 'report').padEnd(7)} ${f(cpuRatio).padStart(9)} ${f(r.strataMiB, 0).padStart(11)} ${f(r.peerMiB, 0).padStart(9)} ${f(r.memRatio).padStart(10)} ${f(r.warmS).padStart(7)} ${f(r.warmRatio).padStart(11)}`,
  );
}
console.log('');
for (const r of rows) {
  if (r.ratio === undefined) continue;
  if (r.goal === undefined) {
    console.log(
      `${r.comparison} vs ${r.peer} ${r.image}: ratio ${r.ratio.toFixed(2)}, memory ratio ${r.memRatio.toFixed(2)} (reported, no goal)`,
    );
    continue;
  }
  const ok = r.ratio <= r.goal;
  console.log(
    `GOAL ${r.comparison} vs ${r.peer} ${r.image}: ${r.ratio.toFixed(2)} (goal <= ${r.goal.toFixed(2)}) ${ok ? 'ok' : 'MISSED'}`,
  );
}
