import { describe, expect, it } from 'vitest';
import { podSecurityOf } from './pod-security.js';
import type { LevelVersion } from './policy/types.js';

const L = 'pod-security.kubernetes.io/';
const latest = { latest: true } as const;
const v = (minor: number) => ({ latest: false, minor }) as const;
const lv = (level: LevelVersion['level'], version: LevelVersion['version'] = latest): LevelVersion => ({
  level,
  version,
});
const PRIVILEGED = lv('privileged');

describe('podSecurityOf (Pod Security Admission api.PolicyToEvaluate)', () => {
  it.each([
    [
      'no labels: the defaults everywhere',
      undefined,
      lv('baseline'),
      { enforce: lv('baseline'), warn: lv('baseline'), audit: lv('baseline') },
      [],
    ],
    [
      'each mode from its own label',
      {
        [`${L}enforce`]: 'baseline',
        [`${L}warn`]: 'restricted',
        [`${L}audit`]: 'restricted',
        [`${L}audit-version`]: 'v1.25',
      },
      PRIVILEGED,
      { enforce: lv('baseline'), warn: lv('restricted'), audit: lv('restricted', v(25)) },
      [],
    ],
    [
      'warn follows a stricter enforce (and its version) when unset',
      { [`${L}enforce`]: 'restricted', [`${L}enforce-version`]: 'v1.24' },
      PRIVILEGED,
      { enforce: lv('restricted', v(24)), warn: lv('restricted', v(24)), audit: PRIVILEGED },
      [],
    ],
    [
      'warn keeps its own version when set',
      { [`${L}enforce`]: 'baseline', [`${L}warn-version`]: 'v1.30' },
      PRIVILEGED,
      { enforce: lv('baseline'), warn: lv('baseline', v(30)), audit: PRIVILEGED },
      [],
    ],
    [
      'warn does not follow an enforce that is not stricter',
      { [`${L}enforce`]: 'baseline' },
      lv('restricted'),
      { enforce: lv('baseline'), warn: lv('restricted'), audit: lv('restricted') },
      [],
    ],
    [
      'a bad enforce level falls back to restricted, and warn does not follow it',
      { [`${L}enforce`]: 'strict' },
      PRIVILEGED,
      { enforce: lv('restricted'), warn: PRIVILEGED, audit: PRIVILEGED },
      [`${L}enforce: "strict": must be one of privileged, baseline, restricted`],
    ],
    [
      'a bad warn level falls back to privileged',
      { [`${L}warn`]: 'x', [`${L}enforce`]: 'restricted' },
      PRIVILEGED,
      { enforce: lv('restricted'), warn: PRIVILEGED, audit: PRIVILEGED },
      [`${L}warn: "x": must be one of privileged, baseline, restricted`],
    ],
    [
      'a bad version falls back to latest',
      { [`${L}enforce`]: 'baseline', [`${L}enforce-version`]: 'v1.025' },
      lv('privileged', v(20)),
      { enforce: lv('baseline'), warn: lv('baseline'), audit: lv('privileged', v(20)) },
      [`${L}enforce-version: "v1.025": must be "latest" or "v1.x"`],
    ],
  ] as const)('%s', (_name, labels, defaults, expected, errors) => {
    const p = podSecurityOf(labels, defaults);
    expect({ enforce: p.enforce, warn: p.warn, audit: p.audit }).toEqual(expected);
    expect(p.errors).toEqual(errors);
  });
});
