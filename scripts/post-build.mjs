// Makes the CLI entry executable after tsc, so the package `bin` runs directly, and copies the data
// files compiled modules read beside themselves (tsc copies only .ts): the built-in audit rules.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(entry)) chmodSync(entry, 0o755);

const rulesSrc = new URL('../src/audit/rules/', import.meta.url);
const rulesDist = new URL('../dist/audit/rules/', import.meta.url);
mkdirSync(rulesDist, { recursive: true });
for (const f of readdirSync(rulesSrc)) {
  if (f.endsWith('.yaml')) copyFileSync(new URL(f, rulesSrc), new URL(f, rulesDist));
}
