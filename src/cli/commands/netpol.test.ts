import { describe, expect, it } from 'vitest';
import type { GeneratedPolicies } from '../../scan/index.js';
import { generateSummary, unselectableLine } from './netpol.js';

const base: GeneratedPolicies = {
  flows: [],
  covered: [],
  policies: [],
  verification: { exact: true, missing: [], extra: [], checkedPairs: 4, errors: [] },
  unselectable: [],
};

describe('netpol generate messages', () => {
  it('names every pair that differs when the policies are NOT exact', () => {
    const line = generateSummary({
      ...base,
      verification: {
        exact: false,
        missing: ['shop/a -> data/db 5432/TCP'],
        extra: [
          { from: 'Deployment/shop/a', to: 'Deployment/data/cache', allowed: 'TCP:6379', expected: 'none' },
        ],
        checkedPairs: 4,
        errors: [],
      },
    });
    expect(line).toBe(
      'netpol generate: NOT exact: 1 declared flows denied, 1 pairs differ: denied: shop/a -> data/db 5432/TCP; Deployment/shop/a -> Deployment/data/cache: allowed TCP:6379, declared none',
    );
  });

  it('lists at most 20 pairs, then how many more', () => {
    const missing = Array.from({ length: 23 }, (_, i) => `shop/a -> shop/b ${i + 1}/TCP`);
    const line = generateSummary({ ...base, verification: { ...base.verification, exact: false, missing } });
    expect(line).toContain('shop/a -> shop/b 20/TCP; and 3 more (see --format json)');
    expect(line).not.toContain('21/TCP');
  });

  it('names a workload whose labels are shared, with whom, and the label to add', () => {
    expect(
      unselectableLine({
        workload: 'Deployment/data/postgres',
        reason: 'shared-labels',
        sharedWith: ['Deployment/data/postgres-replica'],
        labelToAdd: 'app.kubernetes.io/name=postgres',
        flows: ['shop/api -> data/postgres 5432/TCP'],
      }),
    ).toBe(
      'netpol generate: Deployment/data/postgres shares all its pod labels with Deployment/data/postgres-replica, so a policy for it would select those too: no policy generated for shop/api -> data/postgres 5432/TCP; add a pod-template label such as app.kubernetes.io/name=postgres',
    );
  });
});
