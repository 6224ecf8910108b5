import { invalidVersion } from '../errors.js';
import { comparatorFrom, compareDigits, compareStrings, type VersionComparator } from './types.js';

/**
 * RubyGems' Gem::Version order: segments are digit runs (numbers) or letter runs (strings);
 * a string segment marks a pre-release and sorts before any number; trailing zeros of the release
 * and pre-release parts are ignored (1.0 == 1, 1.0.a == 1.a).
 */
export type GemSegment = string | bigint;

const VALID = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/;

export function parseGem(raw: string): GemSegment[] {
  if (!VALID.test(raw) || raw.trim() === '') throw invalidVersion('RubyGems', raw, 'not a gem version');
  const v = raw.trim().replace(/-/g, '.pre.');
  const segments: GemSegment[] = (v.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) =>
    /^[0-9]/.test(s) ? BigInt(s) : s,
  );
  const firstString = segments.findIndex((s) => typeof s === 'string');
  const release = firstString < 0 ? segments : segments.slice(0, firstString);
  const pre = firstString < 0 ? [] : segments.slice(firstString);
  const trim = (xs: GemSegment[]): GemSegment[] => {
    const out = [...xs];
    while (out.length && out[out.length - 1] === 0n) out.pop();
    return out;
  };
  return [...trim(release), ...trim(pre)];
}

export function compareGemParsed(a: readonly GemSegment[], b: readonly GemSegment[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i] ?? 0n;
    const r = b[i] ?? 0n;
    if (l === r) continue;
    if (typeof l === 'string' && typeof r !== 'string') return -1;
    if (typeof l !== 'string' && typeof r === 'string') return 1;
    if (typeof l === 'string' && typeof r === 'string') return compareStrings(l, r);
    return compareDigits(String(l), String(r));
  }
  return 0;
}

export const rubygems: VersionComparator = comparatorFrom('rubygems', parseGem, compareGemParsed);
