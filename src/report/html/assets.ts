import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The report's stylesheet and script, read once from beside this module (scripts/post-build.mjs
 * copies them into dist/report/html), with the CSP hashes that allow exactly these inline blocks.
 */
export interface Assets {
  readonly css: string;
  readonly js: string;
  readonly cssHash: string;
  readonly jsHash: string;
}

let cached: Assets | undefined;

const read = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const sha256 = (text: string): string =>
  `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

export function assets(): Assets {
  if (!cached) {
    // theme.css (the design tokens shared with the web dashboard) first, then the report's own layout
    const css = `${read('theme.css')}\n${read('report.css')}`;
    const js = read('report-client.js');
    cached = { css, js, cssHash: sha256(css), jsHash: sha256(js) };
  }
  return cached;
}
