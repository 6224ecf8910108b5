import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildResult,
  misconfigurationFinding,
  secretFinding,
  vulnerabilityFinding,
} from '../../src/core/index.js';
import { writeReport } from '../../src/report/index.js';
import { strata } from '../support/cli.js';

/**
 * The HTML report (`--format html`) in a real browser: Debian's Chromium (`apt-get install chromium`)
 * driven by playwright-core, which downloads no browser. The report of the demo image scan (as
 * `npm run demo` makes it) is opened from a file:// URL with every request recorded and refused
 * unless it is the report itself; then counts, keyboard sorting, filters, the theme toggle, the
 * evidence rows and printing are checked. `UPDATE_SCREENSHOTS=1` rewrites
 * docs/screenshots/html-report.png.
 *
 * Without Chromium this file skips, except under CI=true, where it fails (CI installs it).
 */
// the browser globals the page.evaluate callbacks use (they run in Chromium; tsconfig has no DOM lib)
interface PageElement {
  readonly classList: { contains(name: string): boolean };
  readonly dataset: Readonly<Record<string, string | undefined>>;
  readonly textContent: string | null;
}
declare const document: {
  readonly documentElement: PageElement;
  readonly activeElement: unknown;
  readonly body: unknown;
  getElementById(id: string): PageElement | null;
};
declare const window: { readonly __pwned?: number };
declare function getComputedStyle(element: unknown): {
  readonly outlineStyle: string;
  readonly color: string;
  readonly backgroundColor: string;
};

const CHROMIUM = process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);

if (!present && (process.env.CI === 'true' || process.env.CI === '1')) {
  describe('HTML report in Chromium', () => {
    it('needs Chromium', () => {
      throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set STRATA_CHROMIUM)`);
    });
  });
}

interface DemoResult {
  summary: Record<string, number>;
  findings: { kind: string; severity: string; package?: { name: string } }[];
}

describe.skipIf(!present)('HTML report in Chromium', () => {
  let work: string;
  let report: string;
  let demo: DemoResult;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'strata-html-'));
    const db = join(work, 'demo.db');
    const imported = await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet']);
    expect(imported.code, imported.stderr).toBe(0);
    report = join(work, 'demo-report.html');
    const scan = ['image', 'examples/demo-image.tar', '--db', db, '--quiet'];
    const html = await strata([...scan, '--format', 'html', '-o', report]);
    expect(html.code, html.stderr).toBe(0);
    const json = await strata([...scan, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    demo = JSON.parse(json.stdout) as DemoResult;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** A page on `file`, every request recorded and all but the file itself refused; console errors kept. */
  async function open(
    file: string,
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<{ page: Page; context: BrowserContext; requests: string[]; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const requests: string[] = [];
    const problems: string[] = [];
    const url = pathToFileURL(file).href;
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url() === url ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    // every request the page makes, whether or not routing saw it (a service worker, a preload)
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(`unrouted? ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(url);
    return { page, context, requests, problems };
  }

  const visibleRows = (page: Page, kind: string) =>
    page.locator(`section#kind-${kind} tbody.finding:not([hidden])`);
  const packagesInOrder = (page: Page) =>
    page.locator('section#kind-vulnerability tbody.finding tr.row td:nth-child(3)').allTextContents();

  it('loads nothing but itself, runs its script under its CSP, and shows the counts of the JSON result', async () => {
    const { page, context, requests, problems } = await open(report);
    expect(requests).toEqual([pathToFileURL(report).href]);
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);
    for (const sev of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']) {
      const n = page.locator(`#counts-severity li[data-severity="${sev}"] .n`);
      expect(await n.textContent(), sev).toBe(String(demo.summary[sev]));
    }
    const image = demo.findings.filter((f) =>
      ['vulnerability', 'secret', 'signature'].includes(f.kind),
    ).length;
    expect(image).toBeGreaterThan(0);
    expect(await page.locator('#counts-door li[data-door="image"] .n').textContent()).toBe(String(image));
    expect(await page.locator('#counts-door li[data-door="network"] .n').textContent()).toBe('0');
    const vulns = demo.findings.filter((f) => f.kind === 'vulnerability').length;
    expect(await visibleRows(page, 'vulnerability').count()).toBe(vulns);
    expect(await visibleRows(page, 'secret').count()).toBe(
      demo.findings.filter((f) => f.kind === 'secret').length,
    );
    expect(await page.locator('#shown-total').textContent()).toBe(
      `${demo.findings.length} of ${demo.findings.length} findings shown`,
    );
    // the charts drew one bar per severity present
    expect(await page.locator('svg[data-chart="chart-severity"] rect[class^="fill-"]').count()).toBe(
      Object.values(demo.summary).filter((n) => n > 0).length,
    );
    await context.close();
  });

  it('sorts a column from the keyboard (Tab to the header button, Enter, Space), focus visible', async () => {
    const { page, context } = await open(report);
    const header = page.locator('section#kind-vulnerability th', { hasText: 'Package' });
    const button = header.locator('button.sort');
    await page.locator('#filter-text').focus();
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await button.evaluate((b) => b === document.activeElement);
    }
    expect(reached).toBe(true);
    expect(await button.evaluate((b) => getComputedStyle(b).outlineStyle)).toBe('solid');
    const names = demo.findings.filter((f) => f.kind === 'vulnerability').map((f) => f.package?.name ?? '');
    const asc = [...names].sort((a, b) => a.localeCompare(b));
    await page.keyboard.press('Enter');
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(await packagesInOrder(page)).toEqual(asc);
    await page.keyboard.press('Space');
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await packagesInOrder(page)).toEqual([...asc].reverse());
    // the severity column it replaced as the sort key says so
    expect(
      await page.locator('section#kind-vulnerability th', { hasText: 'Severity' }).getAttribute('aria-sort'),
    ).toBe('none');
    await context.close();
  });

  it('filters by text, severity and kind', async () => {
    const { page, context } = await open(report);
    const vuln = demo.findings.find((f) => f.kind === 'vulnerability');
    const name = vuln?.package?.name ?? '';
    await page.locator('#filter-text').fill(name);
    const matching = demo.findings.filter((f) => f.package?.name === name).length;
    expect(await visibleRows(page, 'vulnerability').count()).toBe(matching);
    expect(await visibleRows(page, 'secret').count()).toBe(0);
    expect(await page.locator('section#kind-secret .none-shown').isVisible()).toBe(true);
    expect(await page.locator('#shown-total').textContent()).toBe(
      `${matching} of ${demo.findings.length} findings shown`,
    );
    await page.locator('#filter-text').fill('');
    await page.locator('input[name="severity"][value="CRITICAL"]').uncheck();
    const notCritical = demo.findings.filter((f) => f.severity !== 'CRITICAL').length;
    expect(await page.locator('#shown-total').textContent()).toBe(
      `${notCritical} of ${demo.findings.length} findings shown`,
    );
    await page.locator('input[name="severity"][value="CRITICAL"]').check();
    await page.locator('#filter-kind').selectOption('kind:secret');
    expect(await page.locator('section#kind-vulnerability').isVisible()).toBe(false);
    expect(await visibleRows(page, 'secret').count()).toBe(1);
    await page.locator('#filter-kind').selectOption('door:image');
    expect(await page.locator('section#kind-vulnerability').isVisible()).toBe(true);
    await context.close();
  });

  it('follows the system theme and toggles dark mode from the keyboard', async () => {
    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await open(report, 'dark');
    const systemDark = await background(dark.page);
    expect(await dark.page.locator('#theme-toggle').getAttribute('aria-pressed')).toBe('true');
    await dark.context.close();

    const { page, context } = await open(report, 'light');
    const light = await background(page);
    expect(light).not.toBe(systemDark);
    await page.locator('#theme-toggle').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await page.locator('#theme-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await background(page)).toBe(systemDark);
    // severity badges stay readable: text and badge colours differ in both themes
    const badge = page.locator('.badge.sev-CRITICAL').first();
    const colours = await badge.evaluate((b) => [
      getComputedStyle(b).color,
      getComputedStyle(b).backgroundColor,
    ]);
    expect(colours[0]).not.toBe(colours[1]);
    await page.keyboard.press('Enter');
    expect(await background(page)).toBe(light);
    await context.close();
  });

  it('expands a finding to its evidence from the keyboard, and prints without the controls', async () => {
    const { page, context } = await open(report);
    const first = page.locator('section#kind-vulnerability tbody.finding').first();
    const evidence = first.locator('tr.evidence');
    expect(await evidence.isVisible()).toBe(false);
    await first.locator('button.expand').focus();
    await page.keyboard.press('Enter');
    expect(await first.locator('button.expand').getAttribute('aria-expanded')).toBe('true');
    expect(await evidence.isVisible()).toBe(true);
    expect(await evidence.locator('pre').textContent()).toContain('"matchedVersion"');
    expect(await evidence.textContent()).toMatch(/CVSS:3\.1\/AV:/);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.filters').isVisible()).toBe(false);
    expect(await page.locator('#theme-toggle').isVisible()).toBe(false);
    expect(await evidence.isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });

    const shots = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : join(work, 'screenshots');
    mkdirSync(shots, { recursive: true });
    const shot = join(shots, 'html-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await context.close();
  });

  it('saves the embedded result as JSON, filters the packages, and remembers the theme across a reload', async () => {
    const { page, context, requests } = await open(report);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#download-json').click(),
    ]);
    expect(download.suggestedFilename()).toBe('strata-result.json');
    const saved = join(work, 'saved.json');
    await download.saveAs(saved);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual(demo);
    expect(requests.filter((u) => !u.startsWith('blob:'))).toEqual([pathToFileURL(report).href]);

    await page.locator('#packages > summary').click();
    const rows = page.locator('#packages-table tbody.pkg:not([hidden])');
    const all = await rows.count();
    expect(all).toBeGreaterThan(1);
    await page.locator('input[data-filter-table="packages-table"]').fill('zlib1g');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').first().textContent()).toBe('zlib1g');

    await page.locator('#theme-toggle').click();
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await context.close();
  });

  it('a hostile package name, title and evidence stay text: nothing runs, nothing loads', async () => {
    const evil = '</script><script>window.__pwned=1;alert(1)</script>';
    const attr = '"><img src=x onerror="window.__pwned=2">';
    const result = buildResult({
      target: { type: 'filesystem', name: `${evil}${attr}` },
      packages: [{ name: evil, version: attr, ecosystem: 'npm', purl: 'pkg:npm/x@1', path: attr }],
      findings: [
        vulnerabilityFinding({
          id: `CVE-${attr}`,
          severity: 'HIGH',
          title: evil,
          package: { name: evil, version: attr, purl: 'pkg:npm/x@1' },
          location: { path: attr },
          evidence: {
            ecosystem: 'npm',
            matchedBy: 'binary',
            matchedName: evil,
            matchedVersion: attr,
            severitySource: 'none',
            modified: '2024-01-01T00:00:00Z',
          },
          references: ['javascript:window.__pwned=3', `https://evil.test/${attr}`],
        }),
        secretFinding({
          id: 'generic',
          severity: 'LOW',
          title: attr,
          location: { path: evil, line: 1 },
          evidence: { rule: 'generic', category: evil, match: `****${evil}` },
        }),
        misconfigurationFinding({
          id: 'STRATA-K8S-1',
          severity: 'MEDIUM',
          title: `\u2028${evil}\u2029`,
          location: { resource: attr },
          evidence: { message: evil, field: attr, remediation: '<!--' },
        }),
      ],
      errors: [{ analyzer: evil, message: attr }],
    });
    const file = join(work, 'hostile.html');
    writeFileSync(file, writeReport(result, 'html', {}));
    const { page, context, requests, problems } = await open(file);
    await page.locator('#expand-all').click();
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3);
    expect(await page.locator('section#kind-vulnerability td').nth(2).textContent()).toBe(evil);
    // the embedded result reads back as the result
    const embedded = await page.evaluate(() =>
      JSON.parse(document.getElementById('strata-result')?.textContent ?? ''),
    );
    expect(embedded.findings.map((f: { title: string }) => f.title)).toEqual(
      result.findings.map((f) => f.title),
    );
    const raw = /id="strata-result">([\s\S]*?)<\/script>/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
    expect(raw).toContain('\\u2028');
    expect(raw).not.toMatch(/[<>\u2028\u2029]/);
    await context.close();
  });
});
