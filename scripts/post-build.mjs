// Makes the CLI entry executable after tsc, so the package `bin` runs directly, and copies the data
// files compiled modules read beside themselves (tsc copies only .ts): the built-in audit rules and
// the HTML report's stylesheets and script.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(entry)) chmodSync(entry, 0o755);

/** Copies the files of src/DIR whose names `keep` accepts into dist/DIR. */
function copyAssets(dir, keep) {
  const from = new URL(`../src/${dir}/`, import.meta.url);
  const to = new URL(`../dist/${dir}/`, import.meta.url);
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (keep(f)) copyFileSync(new URL(f, from), new URL(f, to));
}

copyAssets('audit/rules', (f) => f.endsWith('.yaml'));
// theme.css (design tokens shared with web/), report.css and report-client.js: inlined into each report
copyAssets('report/html', (f) => f.endsWith('.css') || f.endsWith('.js'));
