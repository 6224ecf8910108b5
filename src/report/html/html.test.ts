import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attackPathFinding,
  auditFinding,
  buildResult,
  exposureFinding,
  FINDING_KINDS,
  type Finding,
  misconfigurationFinding,
  networkFinding,
  rbacFinding,
  type ScanResult,
  secretFinding,
  signatureFinding,
  vulnerabilityFinding,
  withSuppression,
} from '../../core/index.js';
import { writeReport } from '../index.js';
import { embedJson, escapeHtml, writeHtml } from './index.js';

const EVIL = '</script><script>alert(1)</script>';
const EVIL_ATTR = '"><img src=x onerror=alert(2)>';

function everyKind(text: string): Finding[] {
  return [
    vulnerabilityFinding({
      id: 'CVE-2024-0001',
      aliases: ['GHSA-xxxx-yyyy-zzzz'],
      severity: 'CRITICAL',
      title: `overflow in ${text}`,
      package: { name: text, version: '1.0.0', purl: `pkg:npm/${encodeURIComponent(text)}@1.0.0` },
      fixedVersion: '1.0.1',
      status: 'fixed',
      location: { path: `node_modules/${text}/package.json` },
      evidence: {
        ecosystem: 'npm',
        matchedBy: 'binary',
        matchedName: text,
        matchedVersion: '1.0.0',
        severitySource: 'cvss_v3.1',
        cvss: [
          {
            version: '3.1',
            vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
            score: 9.8,
            severity: 'CRITICAL',
          },
        ],
        modified: '2024-01-01T00:00:00Z',
      },
      references: ['https://example.test/advisory'],
    }),
    secretFinding({
      id: 'aws-access-key-id',
      severity: 'HIGH',
      title: 'AWS access key ID',
      location: { path: 'root/.aws/credentials', line: 2 },
      evidence: { rule: 'aws-access-key-id', category: 'AWS', match: `AKIA********4QQS${text}` },
    }),
    misconfigurationFinding({
      id: 'PSS-runAsNonRoot',
      severity: 'MEDIUM',
      title: 'runAsNonRoot',
      location: { resource: `Deployment/default/${text}`, path: 'deploy.yaml', line: 3 },
      evidence: {
        level: 'restricted',
        policy: 'restricted',
        pssVersion: 'v1.30',
        requestedVersion: 'latest',
        check: 'runAsNonRoot',
        reason: `must not run as root ${text}`,
        detail: text,
        fields: ['spec.securityContext.runAsNonRoot'],
      },
    }),
    rbacFinding({
      id: 'RBAC-WILDCARD-VERBS',
      severity: 'LOW',
      title: 'wildcard verbs',
      location: { resource: 'ClusterRole/x' },
      evidence: { role: `ClusterRole/${text}`, rules: [], cis: 'CIS 5.1.3' },
    }),
    networkFinding({
      id: 'NETPOL-NO-DEFAULT-DENY',
      severity: 'MEDIUM',
      title: 'no default deny',
      location: { resource: 'Namespace/shop' },
      evidence: { namespace: 'shop', direction: 'ingress', explanation: text },
    }),
    exposureFinding({
      id: 'PROBE-KUBELET-ANON',
      severity: 'CRITICAL',
      title: 'kubelet answers anonymously',
      location: { resource: '127.0.0.1:10250' },
      evidence: {
        service: 'kubelet',
        request: 'GET /pods',
        status: 200,
        seen: { pods: 3, note: text },
        tls: { used: true },
      },
    }),
    signatureFinding({
      id: 'SIGNATURE-MISSING',
      severity: 'HIGH',
      title: 'no valid signature',
      location: { resource: 'registry.test/app' },
      evidence: { reason: text, digest: 'sha256:abc' },
    }),
    auditFinding({
      id: 'Create Privileged Pod',
      severity: 'HIGH',
      title: 'Create Privileged Pod',
      location: { resource: 'Pod/default/x' },
      evidence: { priority: 'WARNING', output: text, auditID: 'a1', user: text, verb: 'create' },
    }),
    attackPathFinding({
      id: 'PATH-1',
      severity: 'CRITICAL',
      title: 'internet to cluster-admin',
      location: { resource: 'Service/shop/web' },
      evidence: { hops: [{ kind: 'internet', ref: text, why: 'LoadBalancer' }] },
    }),
  ];
}

function hostileResult(): ScanResult {
  const base = buildResult({
    target: { type: 'container_image', name: `registry.test/${EVIL}`, digest: 'sha256:0123' },
    os: { family: 'debian', version: '12', name: EVIL },
    layers: [{ digest: 'sha256:aa', diffId: 'sha256:bb', size: 10, createdBy: EVIL }],
    packages: [
      {
        name: EVIL,
        version: EVIL_ATTR,
        ecosystem: 'npm',
        purl: 'pkg:npm/x@1',
        path: `a/${EVIL}`,
        layer: 'sha256:aa',
      },
    ],
    findings: everyKind(EVIL),
    errors: [{ analyzer: 'lang/npm', path: EVIL, message: EVIL_ATTR }],
  });
  return {
    ...base,
    suppressed: [
      withSuppression(everyKind(EVIL_ATTR)[1] as Finding, {
        by: 'ignorefile',
        reason: EVIL,
        file: '.strataignore',
      }),
    ],
    metadata: { secretish: 'metadata stays out of the page' },
  };
}

/** The text of the embedded result element. */
function embedded(page: string): string {
  const m = /<script type="application\/json" id="strata-result">([\s\S]*?)<\/script>/.exec(page);
  if (!m) throw new Error('no embedded result');
  return m[1] as string;
}

describe('escapeHtml', () => {
  it('turns every special character into an entity and disallowed controls into U+FFFD', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml('a\u0000b\u0007c\td\ne\u009f\ud800')).toBe('a\uFFFDb\uFFFDc\td\ne\uFFFD\uFFFD');
    expect(escapeHtml('😀')).toBe('😀');
  });
});

describe('embedJson', () => {
  it('leaves no <, >, & or line separators in the text, and parses back to the same value', () => {
    const value = { s: `${EVIL}<!-- & \u2028\u2029 -->`, n: [1, 2] };
    const text = embedJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('writeHtml', () => {
  const page = writeHtml(hostileResult(), { scanners: ['vuln', 'secret'] });

  it('is one document whose only scripts are the theme setter, the embedded result and the report script', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page.match(/<script\b/gi)).toHaveLength(3);
    expect(page.match(/<\/script/gi)).toHaveLength(3);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('embeds the result as --format json writes it (no metadata), safely escaped', () => {
    const text = embedded(page);
    expect(text).not.toMatch(/[<>\u2028\u2029]/);
    const json = JSON.parse(text);
    expect(json).toEqual(JSON.parse(writeReport(hostileResult(), 'json')));
    expect(page).not.toContain('metadata stays out');
  });

  it('loads nothing: no src/href to any URL, no CSS url() or @import, and a CSP allowing only its own blocks', () => {
    expect(page).not.toMatch(/\b(src|href|action|srcset|poster|data)\s*=\s*["']?\s*(https?:)?\/\//i);
    const markup = page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
    // attribute values hold no `>` (escaped), so a tag ends at the first one; values are dropped before
    // looking for attribute names
    const tags = (markup.match(/<[a-z][^>]*>/gi) ?? []).map((t) => t.replace(/"[^"]*"/g, '""'));
    expect(tags.length).toBeGreaterThan(100);
    expect(
      tags.filter((t) => /\s(href|src|srcset|action|formaction|xlink:href|style|on\w+)\s*=/i.test(t)),
    ).toEqual([]);
    const csp =
      /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
        .exec(page)?.[1]
        ?.replace(/&#39;/g, "'") ?? '';
    expect(csp).toContain("default-src 'none'");
    const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(2);
    expect(style).not.toMatch(/url\(|@import|@font-face/i);
    expect(csp).toContain(`style-src '${hash(style)}'`);
    expect(csp).toContain(`script-src ${scripts.map((s) => `'${hash(s)}'`).join(' ')};`);
    // references are shown as text, never as links
    expect(page).toContain('<code>https://example.test/advisory</code>');
  });

  it('renders a table section for every finding kind, one <tbody> per finding with its evidence', () => {
    for (const kind of FINDING_KINDS) {
      const section = new RegExp(`<section class="card findings" id="kind-${kind}"[\\s\\S]*?</section>`).exec(
        page,
      );
      expect(section, kind).not.toBeNull();
      expect(section?.[0].match(/<tbody class="finding"/g), kind).toHaveLength(1);
      expect(section?.[0], kind).toMatch(
        /<tr class="evidence" id="ev-\d+"><td colspan="\d+">[\s\S]*<h3>Evidence<\/h3><pre>/,
      );
    }
  });

  it('counts by severity and by door, and shows the scanners, the CVSS score and the redacted secret', () => {
    const count = (attr: string) =>
      new RegExp(`<li class="[^"]*" ${attr}[^>]*><span class="n">(\\d+)</span>`).exec(page)?.[1];
    expect(count('data-severity="CRITICAL"')).toBe('3');
    expect(count('data-severity="HIGH"')).toBe('3');
    expect(count('data-severity="MEDIUM"')).toBe('2');
    expect(count('data-severity="LOW"')).toBe('1');
    expect(count('data-door="access"')).toBe('3');
    expect(count('data-door="exposure"')).toBe('1');
    expect(count('data-door="image"')).toBe('3');
    expect(count('data-door="network"')).toBe('2');
    expect(page).toContain('<dt>Scanners</dt><dd>vuln, secret</dd>');
    expect(page).toMatch(
      /<span class="badge sev-CRITICAL">CRITICAL<\/span><span class="score"[^>]*>9\.8<\/span>/,
    );
    expect(page).toContain('<code>AKIA********4QQS&lt;/script&gt;');
    expect(page).toMatch(/<code>1\.0\.0<\/code><span class="arrow"[^>]*>→<\/span><code>1\.0\.1<\/code>/);
  });

  it('shows the errors, the suppressed findings, the layers and the packages', () => {
    expect(page).toContain('The scan is partial: 1 error');
    expect(page).toContain('Suppressed findings (1)');
    expect(page).toContain('Layers (1)');
    expect(page).toContain('Packages (1)');
  });

  it('sortable headers are buttons, severity first sorted descending', () => {
    expect(page).toMatch(
      /<th scope="col" data-type="num" aria-sort="descending"><button type="button" class="sort">Severity<\/button><\/th>/,
    );
    const sortable = page.match(/<th [^>]*aria-sort="[^"]+"[^>]*>.*?<\/th>/g) ?? [];
    expect(sortable.length).toBeGreaterThan(40);
    for (const th of sortable)
      expect(th).toMatch(/^<th [^>]*><button type="button" class="sort">[^<]+<\/button><\/th>$/);
  });

  it('is the same bytes for the same result', () => {
    expect(writeHtml(hostileResult(), { scanners: ['vuln', 'secret'] })).toBe(page);
  });

  it('an empty result: zero counts, "No findings", no filter bar, still a valid embedded result', () => {
    const empty = buildResult({ target: { type: 'filesystem', name: 'empty-dir' } });
    const out = writeReport(empty, 'html', {});
    expect(out).toContain('<h2>No findings</h2>');
    expect(out).toContain('The scan found nothing to report.');
    expect(out).not.toContain('id="filter-text"');
    expect(out).not.toContain('class="card findings"');
    expect(out.match(/<span class="n">0<\/span>/g)).toHaveLength(9);
    expect(JSON.parse(embedded(out))).toEqual(JSON.parse(writeReport(empty, 'json')));
  });

  it('verify results: metadata shown and embedded when asked (details)', () => {
    const r = {
      ...buildResult({ target: { type: 'container_image', name: 'r/app' } }),
      metadata: { verified: false },
    };
    const out = writeHtml(r, { details: true });
    expect(out).toContain('<summary>Details</summary>');
    expect(JSON.parse(embedded(out)).metadata).toEqual({ verified: false });
  });
});
