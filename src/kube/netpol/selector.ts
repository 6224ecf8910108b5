import type { LabelSelector, Labels, Requirement } from './types.js';

export const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/** True when the selector is `{}`: it selects every object. */
export function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

function matchesRequirement(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(labels[r.key]!);
    case 'NotIn':
      return !has || !r.values.includes(labels[r.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** metav1.LabelSelector semantics: every matchLabels pair AND every requirement. */
export function matchesSelector(s: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(s.matchLabels)) {
    if (labels[k] !== v) return false;
  }
  return s.matchExpressions.every((r) => matchesRequirement(r, labels));
}

/** A canonical string for a selector (memoisation key, deterministic output). */
export function selectorKey(s: LabelSelector): string {
  const labels = Object.entries(s.matchLabels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const exprs = s.matchExpressions
    .map((r) => `${r.key} ${r.operator} ${[...r.values].sort().join(',')}`)
    .sort();
  return JSON.stringify([labels, exprs]);
}

/** Human form, like kubectl prints selectors: `app=web,tier in (a,b)`; `{}` is `<all>`. */
export function formatSelector(s: LabelSelector): string {
  const parts = Object.entries(s.matchLabels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  for (const r of s.matchExpressions) {
    if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`);
  }
  return parts.length ? parts.join(',') : '<all>';
}
