import { describe, expect, it } from 'vitest';
import { ProbeError } from './errors.js';
import { DEFAULT_PORTS, expandTargets, splitHostPort, targetName } from './targets.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof ProbeError ? err.code : 'other';
  }
  return undefined;
};

describe('probe targets', () => {
  it.each([
    ['10.0.0.5', { host: '10.0.0.5' }],
    ['10.0.0.5:2379', { host: '10.0.0.5', port: 2379 }],
    ['etcd.internal:2379', { host: 'etcd.internal', port: 2379 }],
    ['[::1]:10250', { host: '::1', port: 10250 }],
    ['fd00::1', { host: 'fd00::1' }],
  ])('splits %s', (input, expected) => {
    expect(splitHostPort(input)).toEqual(expected);
  });

  it.each(['10.0.0.5:0', '10.0.0.5:70000', 'host:abc', 'bad host', '[10.0.0.1]:80', 'http://x'])(
    'rejects %s as INVALID_TARGET',
    (input) => {
      expect(code(() => expandTargets([input]))).toBe('INVALID_TARGET');
    },
  );

  it('uses the default ports for a host without a port', () => {
    expect(expandTargets(['127.0.0.1']).map((t) => t.port)).toEqual([...DEFAULT_PORTS]);
  });

  it('uses --ports when given, and de-duplicates endpoints', () => {
    expect(expandTargets(['127.0.0.1', '127.0.0.1:2379'], { ports: [2379, 10250] })).toEqual([
      { host: '127.0.0.1', port: 2379 },
      { host: '127.0.0.1', port: 10250 },
    ]);
  });

  it('expands a /30 of a private network into its two usable hosts', () => {
    expect(expandTargets(['192.168.7.0/30'], { ports: [2379] }).map(targetName)).toEqual([
      '192.168.7.1:2379',
      '192.168.7.2:2379',
    ]);
  });

  it('accepts a /24 (256 addresses, 254 hosts) under the default cap', () => {
    expect(expandTargets(['10.1.2.0/24'], { ports: [2379] })).toHaveLength(254);
  });

  it.each([
    [['10.1.0.0/23'], {}, 'TOO_MANY_TARGETS'],
    [['10.1.2.0/28'], { maxTargets: 8 }, 'TOO_MANY_TARGETS'],
    [['10.0.0.1', '10.0.0.2', '10.0.0.3'], { maxTargets: 2 }, 'TOO_MANY_TARGETS'],
    [['10.1.2.0/24'], { maxTargets: 5000 }, 'INVALID_OPTION'],
    [['8.8.8.0/24'], {}, 'NOT_OWN_NETWORK'],
    [['0.0.0.0/0'], { maxTargets: 4096 }, 'NOT_OWN_NETWORK'],
    [['172.15.0.0/24'], {}, 'NOT_OWN_NETWORK'],
    [['fd00::/120'], {}, 'INVALID_TARGET'],
  ])('refuses %j %j with %s', (inputs, options, expected) => {
    expect(code(() => expandTargets(inputs, { ...options, localNetworks: [] }))).toBe(expected);
  });

  it("accepts a public CIDR when it is one of this machine's interface networks", () => {
    const local = [{ base: 0xc6336400, prefix: 24 }]; // 198.51.100.0/24
    expect(expandTargets(['198.51.100.0/30'], { ports: [80], localNetworks: local })).toHaveLength(2);
  });
});
