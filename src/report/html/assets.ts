import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The report's stylesheet and script, read once from beside this module (scripts/post-build.mjs
 * copies them into dist/report/html), with the CSP hashes that allow exactly these inline blocks.
 */
export interface Assets {
  readonly css: string;
  readonly js: string;
  /**
   * run in <head>, before the first paint: marks the page as scripted (evidence rows start collapsed)
   * and sets the theme a user chose earlier (no flash of the other theme)
   */
  readonly themeJs: string;
  readonly cssHash: string;
  readonly jsHash: string;
  readonly themeJsHash: string;
}

const THEME_JS =
  "document.documentElement.classList.add('js');try{var t=localStorage.getItem('strata-report-theme');if(t==='dark'||t==='light')document.documentElement.dataset.theme=t}catch(e){}";

let cached: Assets | undefined;

const read = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const sha256 = (text: string): string =>
  `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

export function assets(): Assets {
  if (!cached) {
    // theme.css (the design tokens shared with the web dashboard) first, then the report's own layout
    const css = `${read('theme.css')}\n${read('report.css')}`;
    const js = read('report-client.js');
    cached = {
      css,
      js,
      themeJs: THEME_JS,
      cssHash: sha256(css),
      jsHash: sha256(js),
      themeJsHash: sha256(THEME_JS),
    };
  }
  return cached;
}
