import { UsageError } from '../core/errors.js';
import { ImageError } from './errors.js';
import type { Platform } from './types.js';

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

const ARCH_ALIASES: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
  i386: '386',
};

/** The variant an architecture implies when none is written (as containerd normalises it). */
const DEFAULT_VARIANT: Readonly<Record<string, string>> = { arm64: 'v8', arm: 'v7' };

/** Parses `os/arch[/variant]` as given to `--platform`. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new UsageError(
      'INVALID_ARGUMENT',
      `--platform: "${text}" is not os/arch[/variant] (e.g. linux/arm64)`,
    );
  }
  return normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
}

export function normalizePlatform(p: Platform): Platform {
  const architecture = ARCH_ALIASES[p.architecture] ?? p.architecture;
  const variant = p.variant ?? DEFAULT_VARIANT[architecture];
  return { os: p.os, architecture, ...(variant && architecture !== 'amd64' ? { variant } : {}) };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Whether a candidate (from an index) satisfies the wanted platform. */
export function platformMatches(wanted: Platform, candidate: Platform): boolean {
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  return w.os === c.os && w.architecture === c.architecture && (w.variant ?? '') === (c.variant ?? '');
}

/** Picks the manifest for `wanted` from an index's descriptors (index order is the preference order). */
export function selectPlatform<D extends { readonly platform?: Platform }>(
  descriptors: readonly D[],
  wanted: Platform,
  where: string,
): D {
  const found = descriptors.find((d) => d.platform !== undefined && platformMatches(wanted, d.platform));
  if (found) return found;
  const available = [
    ...new Set(
      descriptors
        .map((d) => d.platform)
        .filter((p): p is Platform => p !== undefined && p.os !== 'unknown')
        .map((p) => formatPlatform(normalizePlatform(p))),
    ),
  ].sort();
  throw new ImageError(
    'PLATFORM_NOT_FOUND',
    `${where}: no image for platform ${formatPlatform(normalizePlatform(wanted))}; available: ${
      available.length > 0 ? available.join(', ') : 'none'
    }`,
  );
}
