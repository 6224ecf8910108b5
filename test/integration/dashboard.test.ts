import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttackPathFinding, buildResult, type Finding, type ScanResult } from '../../src/core/index.js';
import { buildMatrix, ClassEngine, loadKubeResources, parseCluster } from '../../src/kube/index.js';
import { analyzePaths, attributeResults } from '../../src/paths/index.js';
import { analyzeResources } from '../../src/scan/index.js';
import { SqliteStore } from '../../src/server/index.js';
import { CLI, strata } from '../support/cli.js';
import { freePort, type RunningRegistry, skopeoCopy, startRegistry } from '../support/registry.js';

/**
 * The web dashboard end to end in Debian's Chromium (playwright-core drives it; it downloads no
 * browser): the real `strata server` (embedded SQLite, in-process worker) with the demo advisories,
 * the demo image pushed to Debian's docker-registry and scanned through the API.
 *
 * Cluster data: no server job stores cluster scans with their connection matrix yet, so the test
 * stores one itself, straight into the server's SQLite store: the findings of the real PSS,
 * NetworkPolicy and RBAC engines (`analyzeResources`, as `strata k8s` runs them) over
 * test/fixtures/dashboard/shop.yaml, and `metadata.network`, the engine's allowed-connection matrix
 * (`strata netpol matrix --format json`) the cluster page draws, and the attack paths
 * (`strata k8s --paths`, as the server's scan-cluster job computes them) with the demo image's
 * scan standing in for the frontend's and the API's images (only the paths are stored, so the
 * vulnerability counts of the findings page stay the demo images').
 *
 * With STRATA_UPDATE_SCREENSHOTS=1 the screenshots go to docs/screenshots/ (shown in the README).
 */
const CHROMIUM = '/usr/bin/chromium';
const DEMO = `oci-archive:${resolve('examples/demo-image.tar')}`;
const SHOP = resolve('test/fixtures/dashboard/shop.yaml');
const CLUSTER = 'shop (manifests)';
const missing = !existsSync(CHROMIUM);
// page.evaluate code runs in the browser; the test's tsconfig has no DOM types, so it is given as text
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

if (missing && process.env.CI)
  describe('web dashboard in Chromium', () => {
    it('needs Debian chromium at /usr/bin/chromium (apt-get install chromium)', () => {
      expect.fail(`${CHROMIUM} is missing: .ci/run installs the chromium package`);
    });
  });

describe.skipIf(missing)('web dashboard in Chromium', () => {
  let registry: RunningRegistry;
  let home: string;
  let server: ChildProcess;
  let serverLog = '';
  let browser: Browser;
  let base: string;
  let readToken: string;
  let scanToken: string;
  let shots: string;
  const requests: string[] = [];
  const problems: string[] = [];
  const image = (tag: string) => `${registry.host}/demo:${tag}`;
  let demoResult: ScanResult;
  let attackPaths: AttackPathFinding[];

  const api = async <T>(path: string, init: RequestInit = {}, token = scanToken): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const scan = async (target: string): Promise<string> => {
    const { id } = await api<{ id: string }>('/api/v1/scans', {
      method: 'POST',
      body: JSON.stringify({ target, insecure: true }),
    });
    return id;
  };
  const finished = (id: string) =>
    until(`scan ${id}`, async () => {
      const s = await api<{ status: string; error?: string; result?: ScanResult }>(`/api/v1/scans/${id}`);
      if (s.status === 'failed') throw new Error(`scan failed: ${s.error}`);
      return s.status === 'done' ? s : undefined;
    });

  /** A page that records every request it makes and every console error (CSP violations show there). */
  const open = async (context?: BrowserContext): Promise<Page> => {
    const page = await (context ?? browser).newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      // the one 401 is the sign-in with a wrong token, on purpose
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    return page;
  };
  const signIn = async (page: Page, token = readToken) => {
    await page.goto(`${base}/`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    registry = await startRegistry();
    await skopeoCopy(DEMO, `docker://${image('1')}`);
    await skopeoCopy(DEMO, `docker://${image('2')}`);
    home = mkdtempSync(join(tmpdir(), 'strata-dashboard-'));
    shots = process.env.STRATA_UPDATE_SCREENSHOTS ? resolve('docs/screenshots') : join(home, 'shots');
    mkdirSync(shots, { recursive: true });
    const env = { HOME: home, XDG_DATA_HOME: '', STRATA_DB: '', STRATA_DATABASE_URL: '' };
    const db = join(home, '.cache', 'strata', 'db', 'strata.db');
    expect((await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet'], { env })).code).toBe(0);
    const token = async (scope: string) => {
      const r = await strata(['server', 'token', 'create', '--scope', scope, '--name', `ui-${scope}`], {
        env,
      });
      expect(r.code).toBe(0);
      return r.stdout.trim();
    };
    readToken = await token('read');
    scanToken = await token('scan');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [CLI, 'server', '--listen', `127.0.0.1:${port}`, '--concurrency', '1'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d) => {
      serverLog += d;
    });
    server.stderr?.on('data', (d) => {
      serverLog += d;
    });
    await until('the server', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));

    demoResult = (await finished(await scan(image('1')))).result as ScanResult;

    // the cluster: the real engines over the fixture, stored as a done scan (see the note above)
    const loaded = await loadKubeResources([SHOP]);
    const analysis = analyzeResources(loaded.resources, { level: 'restricted', version: { latest: true } });
    const network = buildMatrix(new ClassEngine(parseCluster(loaded.resources).cluster), 'workload');
    const demoVulns = demoResult.findings.filter((f) => f.kind === 'vulnerability');
    const attributed = attributeResults(
      loaded.resources,
      ['registry.example/shop/frontend:1.4', 'registry.example/shop/api:2.0'].map((name) => ({
        file: 'demo',
        name,
        ref: name,
        findings: demoVulns,
      })),
    );
    attackPaths = analyzePaths(loaded.resources, attributed.findings, { maxLateral: 2 }).findings.filter(
      (f): f is AttackPathFinding => f.kind === 'attack-path',
    );
    expect(attackPaths.length).toBeGreaterThan(0);
    const store = new SqliteStore(join(home, '.local', 'share', 'strata', 'server.db'));
    try {
      const id = randomUUID();
      await store.insertJob({
        id,
        type: 'dashboard-test-import',
        payload: { target: CLUSTER },
        maxAttempts: 1,
      });
      const job = await store.claimJob(['dashboard-test-import'], 60);
      expect(job?.id).toBe(id);
      const result = buildResult({
        target: { type: 'kubernetes', name: CLUSTER },
        findings: [...analysis.findings, ...attackPaths],
        errors: analysis.errors,
        metadata: { network, paths: { computed: true, maxLateral: 2 } },
      });
      expect(await store.completeJob(id, job?.lease ?? '', result, ['misconfig'])).toBe(true);
    } finally {
      await store.close();
    }

    browser = await chromium.launch({ executablePath: CHROMIUM });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await registry?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('serves the app with a strict CSP, an SPA fallback and immutable hashed assets', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|unsafe-inline|unsafe-eval|\*/);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${base}${asset}`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // a client route is the app; an unknown API path or missing file is a JSON 404
    const deep = await fetch(`${base}/images/${encodeURIComponent(image('1'))}`, {
      headers: { accept: 'text/html' },
    });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    expect((await fetch(`${base}/api/v1/nope`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${base}/assets/nope.js`)).status).toBe(404);
    // the event stream takes the token in the header only
    expect((await fetch(`${base}/api/v1/events?token=strata_in-a-url`)).status).toBe(401);
  });

  it('signs in, finds the scanned image, shows its vulnerabilities, secret, layers and SBOM', async () => {
    const page = await open();
    await page.goto(`${base}/`);
    await page.getByLabel('API token').fill('strata_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('unknown or revoked');
    await page.getByLabel('API token').fill(readToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('strata.token')")).toBe(readToken);
    expect(page.url()).not.toContain(readToken);
    await page
      .getByRole('link', { name: image('1') })
      .first()
      .waitFor();
    await shot(page, 'overview-light');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Images' }).click();
    await page.getByLabel('Search images').fill('demo:1');
    await page.getByRole('link', { name: image('1') }).click();
    await page.getByRole('heading', { name: image('1'), level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/images/${encodeURIComponent(image('1'))}`);

    const vulns = demoResult.findings.filter((f) => f.kind === 'vulnerability');
    const secrets = demoResult.findings.filter((f) => f.kind === 'secret');
    expect(vulns.length).toBeGreaterThan(0);
    expect(secrets.length).toBeGreaterThan(0);
    const table = page.getByRole('table', { name: 'Vulnerabilities of the newest scan' });
    for (const v of vulns) {
      const row = table.getByRole('row').filter({ hasText: v.id });
      await expect.poll(() => row.count()).toBe(1);
      const text = (await row.textContent()) ?? '';
      expect(text).toContain(v.package?.name ?? '');
      expect(text).toContain(v.package?.version ?? '');
      expect(text).toContain(v.fixedVersion ?? 'no fix');
      expect(text).toContain(v.severity);
      const cvss = (v.evidence as { cvss?: { score: number }[] }).cvss;
      if (cvss?.length) expect(text).toContain(Math.max(...cvss.map((c) => c.score)).toFixed(1));
    }
    const secretList = page.getByTestId('secrets');
    for (const s of secrets) {
      const match = (s.evidence as { match: string }).match;
      expect(match).toContain('*');
      expect(await secretList.textContent()).toContain(match);
      expect(await secretList.textContent()).toContain(s.location.path);
    }
    expect(await page.getByTestId('signature').textContent()).toContain('not checked');
    // layers: what each added; the secret's layer is the COPY of the credentials file
    const layers = demoResult.layers ?? [];
    expect(await page.locator('ol.layers > li').count()).toBe(layers.length);
    await page.locator('ol.layers > li').first().locator('summary').click();
    const firstAdded = demoResult.packages.filter((p) => p.layer === layers[0]?.digest).map((p) => p.name);
    expect(firstAdded.length).toBeGreaterThan(0);
    for (const name of firstAdded)
      expect(await page.locator('ol.layers > li').first().textContent()).toContain(name);
    await shot(page, 'image-light');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CycloneDX' }).click();
    const file = await (await download).path();
    const bom = JSON.parse(readFileSync(file, 'utf8')) as {
      bomFormat: string;
      components: { name: string }[];
    };
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.components.map((c) => c.name)).toEqual(
      expect.arrayContaining(demoResult.packages.map((p) => p.name)),
    );
    const spdxDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download SPDX' }).click();
    const spdx = JSON.parse(readFileSync(await (await spdxDownload).path(), 'utf8')) as {
      spdxVersion: string;
    };
    expect(spdx.spdxVersion).toBe('SPDX-2.3');

    // Findings: filter by kind and severity, then by advisory; each with its evidence
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Findings' }).click();
    await page.getByRole('heading', { name: 'Findings', level: 1 }).waitFor();
    await page.getByLabel('Kind').selectOption('vulnerability');
    await page.getByLabel('Severity').selectOption('CRITICAL');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const critical = vulns.filter((f) => f.severity === 'CRITICAL');
    await expect
      .poll(() => page.getByTestId('findings-count').textContent())
      .toMatch(new RegExp(`^${critical.length} finding`));
    expect(new URL(page.url()).searchParams.get('kind')).toBe('vulnerability');
    const one = critical[0] as Finding;
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Advisory').fill(one.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.getByTestId('findings-count').textContent()).toMatch(/^1 finding/);
    await page.getByTestId('findings').locator('summary').first().click();
    const evidence = await page.locator('pre.evidence').first().textContent();
    expect(JSON.parse(evidence ?? '{}')).toEqual(JSON.parse(JSON.stringify(one.evidence)));
    await page.getByLabel('Advisory').fill('');
    await page.getByLabel('Kind').selectOption('secret');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(() => page.getByTestId('findings-count').textContent())
      .toMatch(new RegExp(`^${secrets.length} finding`));
    await shot(page, 'findings-light');
    await page.close();
  });

  it('shows a cluster: PSS per namespace, RBAC and who-can, the network graph and its blast radius', async () => {
    const page = await open();
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('link', { name: CLUSTER }).click();
    await page.getByRole('heading', { name: CLUSTER, level: 1 }).waitFor();
    const pss = page.getByRole('table', { name: 'PSS compliance per namespace' });
    const tools = pss.getByRole('row').filter({ hasText: 'tools' });
    expect(await tools.textContent()).toContain('FAIL');
    expect(await tools.textContent()).toContain('Pod/tools/debug');
    expect(await page.locator('#rbac').locator('..').textContent()).toContain('RBAC-SECRETS-READ');
    await expect.poll(() => page.getByTestId('who-can').textContent()).toContain('ServiceAccount:shop:api');
    await page.getByLabel('Verb').fill('delete');
    await page.getByRole('button', { name: 'Ask' }).click();
    await expect.poll(() => page.getByTestId('who-can').textContent()).toContain('No flagged binding');
    // the attack paths, ranked: each with its score, its hops and why each holds, and the fix
    const listed = page.getByTestId('attack-path');
    await listed.first().waitFor();
    expect(await listed.count()).toBe(attackPaths.length);
    const best = attackPaths.find((f) => f.evidence.rank === 1)!;
    const first = (await listed.first().textContent()) ?? '';
    expect(first).toContain('#1');
    expect(first).toContain(best.title);
    expect(first).toContain(`score ${best.evidence.score?.toFixed(1)}`);
    for (const hop of best.evidence.hops) expect(first).toContain(hop.why);
    expect(first).toContain(`Fix: ${best.evidence.fix?.action}`);
    expect(await page.getByTestId('attack-paths-note').count()).toBe(0);

    // the graph: internet entry points, and a real click on a node in Cytoscape's canvas
    expect(await page.getByTestId('entry-points').textContent()).toContain('shop/frontend');
    const graph = page.getByTestId('network-graph');
    await graph.scrollIntoViewIfNeeded();
    const at = await until('the graph layout', async () => {
      const raw = await graph.getAttribute('data-nodes');
      const nodes = raw ? (JSON.parse(raw) as Record<string, [number, number]>) : {};
      return nodes['shop/api'] ? nodes : undefined;
    });
    expect(Object.keys(at).sort()).toEqual([
      'data/postgres',
      'internet',
      'shop/api',
      'shop/frontend',
      'tools/debug',
    ]);
    // a real click where the node is drawn; positions and the box are read again before each try,
    // as a loaded machine may still be settling the layout or the scroll when the first one lands
    await expect
      .poll(async () => {
        const nodes = JSON.parse((await graph.getAttribute('data-nodes')) ?? '{}') as Record<
          string,
          [number, number]
        >;
        const box = await graph.boundingBox();
        const [x, y] = nodes['shop/api'] ?? [0, 0];
        await page.mouse.click((box?.x ?? 0) + x, (box?.y ?? 0) + y);
        return page.getByLabel('Blast radius of').inputValue();
      })
      .toBe('shop/api');
    const reached = await page.getByTestId('blast-radius').locator('li').allTextContents();
    expect(reached).toEqual(['data/postgres', 'internet', 'shop/frontend', 'tools/debug']);
    // the database reaches nothing (default-deny egress in data)
    await page.getByLabel('Blast radius of').selectOption('data/postgres');
    expect(await page.getByTestId('blast-radius').locator('li').count()).toBe(0);
    await page.getByLabel('Blast radius of').selectOption('shop/api');
    await shot(page, 'cluster-light');
    await page.close();
  });

  it('shows a live alert without reloading when a scan completes while the overview is open', async () => {
    const page = await open();
    await signIn(page);
    await page.evaluate('window.loadedOnce = true');
    await expect.poll(() => page.locator('.live').textContent()).toBe('live');
    const id = await scan(image('2'));
    const alerts = page.getByTestId('alerts');
    await expect.poll(() => alerts.textContent(), { timeout: 90_000 }).toContain(`${image('2')}: scan done`);
    await expect.poll(() => alerts.textContent()).toContain(`${image('2')}: 2 new CRITICAL/HIGH findings`);
    expect(await page.evaluate('window.loadedOnce')).toBe(true);
    await finished(id);

    // a tag mutation, written into the alerts table as a watch run in a `strata worker` process
    // writes it (the store, not this server's memory): on the open overview within a poll or two
    const watched = `${registry.host}/demo:prod`;
    const store = new SqliteStore(join(home, '.local', 'share', 'strata', 'server.db'));
    try {
      const written = await store.watches.commitRun({
        watchId: 'dashboard-test-watch',
        runId: randomUUID(),
        tags: [],
        alerts: [
          {
            kind: 'tag-mutated',
            level: 'alert',
            severity: 'HIGH',
            subject: watched,
            message: `${watched} moved to an unsigned digest`,
            details: { tag: watched, oldDigest: 'sha256:1', newDigest: 'sha256:2', reason: 'no signature' },
          },
        ],
        scans: [],
        result: buildResult({ target: { type: 'registry', name: registry.host } }),
        stats: { repositories: 1, tags: 1, newDigests: 0, scansQueued: 0, moved: 1, mutated: 1 },
      });
      expect(written.written).toBe(true);
    } finally {
      await store.close();
    }
    const mutation = alerts.locator('li', { hasText: `${watched} moved to an unsigned digest` });
    await expect.poll(() => mutation.count(), { timeout: 30_000 }).toBe(1);
    expect(await mutation.textContent()).toContain('tag mutated');
    await sleep(2500); // a few more polls of the watcher: still shown once
    expect(await mutation.count()).toBe(1);
    expect(await page.evaluate('window.loadedOnce')).toBe(true);

    // Scans: history and the diff of the two scans of the same image content
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scans' }).click();
    const history = page.getByRole('table', { name: 'Scans, newest first' });
    await expect.poll(() => history.getByRole('row').count()).toBe(4); // header + 3 scans
    const done = await api<{ items: { id: string; target?: string }[] }>('/api/v1/scans?status=done');
    const first = done.items.find((s) => s.target === image('1'))?.id ?? '';
    await page.getByLabel('Older scan').selectOption(first);
    await page.getByLabel('Newer scan').selectOption(id);
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect
      .poll(() => page.getByTestId('diff').textContent())
      .toContain(`0 new · 0 fixed · ${demoResult.findings.length} unchanged`);
    await shot(page, 'scans-light');

    // dark mode: the same pages, readable
    const lightBg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).not.toBe(lightBg);
    // the colours are the shared design tokens of src/report/html/theme.css
    expect(
      await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--color-bg').trim()"),
    ).not.toBe('');
    await shot(page, 'scans-dark');
    for (const [path, name, heading] of [
      ['/', 'overview-dark', 'Overview'],
      [`/images/${encodeURIComponent(image('1'))}`, 'image-dark', image('1')],
      [`/clusters/${encodeURIComponent(CLUSTER)}`, 'cluster-dark', CLUSTER],
      ['/findings?severity=CRITICAL', 'findings-dark', 'Findings'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await sleep(500);
      await shot(page, name);
    }
    await page.close();
  });

  it('works by keyboard alone: sign in, move between pages, open an image', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await open(context);
    await page.goto(`${base}/`);
    // the token field has focus on arrival
    await page.getByLabel('API token').waitFor();
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.id'))
      .toBe('token');
    await page.keyboard.type(readToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const focused = () =>
      page.evaluate<string>(
        `(() => { const el = document.activeElement;
          return (el ? el.tagName : '') + ':' + ((el && (el.getAttribute('aria-label') ?? el.textContent)) || '').trim(); })()`,
      );
    const tabTo = async (want: string) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if ((await focused()) === want) return;
      }
      throw new Error(`Tab never reached ${want} (at ${await focused()})`);
    };
    await tabTo('A:Images');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Images', level: 1 }).waitFor();
    await tabTo('INPUT:');
    await page.keyboard.type('demo:1');
    await tabTo(`A:${image('1')}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: image('1'), level: 1 }).waitFor();
    await tabTo('BUTTON:Download CycloneDX');
    // sort the vulnerability table from the keyboard
    await tabTo('BUTTON:Advisory ↕');
    await page.keyboard.press('Enter');
    expect(
      await page
        .getByRole('columnheader', { name: /Advisory/ })
        .first()
        .getAttribute('aria-sort'),
    ).toBe('descending');
    await tabTo('A:Findings');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Findings', level: 1 }).waitFor();
    await tabTo('SELECT:anyvulnerabilitymisconfigurationsecretrbacnetworkexposuresignatureauditattack-path');
    await page.keyboard.press('ArrowDown');
    await tabTo('BUTTON:Apply filters');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('kind')).toBe('vulnerability');
    const vulns = demoResult.findings.filter((f) => f.kind === 'vulnerability').length;
    await expect
      .poll(() => page.getByTestId('findings-count').textContent())
      .toMatch(new RegExp(`^${2 * vulns} finding`)); // demo:1 and demo:2
    await context.close();
  });

  it('asked only its own origin for anything, never put the token in a URL, broke no CSP rule', () => {
    expect(requests.length).toBeGreaterThan(10);
    const origins = new Set(requests.filter((u) => /^(https?|wss?):/.test(u)).map((u) => new URL(u).origin));
    expect([...origins]).toEqual([base]);
    for (const u of requests) {
      expect(u).not.toContain(readToken);
      expect(u).not.toContain(scanToken);
    }
    expect(requests.some((u) => u.endsWith('/api/v1/events'))).toBe(true);
    expect(problems).toEqual([]);
    expect(serverLog).not.toContain(readToken);
  });
});
