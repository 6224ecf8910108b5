import { describe, expect, it } from 'vitest';
import { classifyAddress, isOwnAddress, normalizeHost, parseIpv4Loose } from './address.js';

describe('probe address normaliser', () => {
  describe('IPv4 in every spelling the C library reads', () => {
    it.each([
      ['8.8.8.8', '8.8.8.8'],
      ['134744072', '8.8.8.8'],
      ['0x08080808', '8.8.8.8'],
      ['0x8080808', '8.8.8.8'],
      ['010.010.010.010', '8.8.8.8'],
      ['8.0x8.010.8', '8.8.8.8'],
      ['8.8.2056', '8.8.8.8'],
      ['8.526344', '8.8.8.8'],
      ['2130706433', '127.0.0.1'],
      ['127.1', '127.0.0.1'],
      ['0177.0.0.1', '127.0.0.1'],
      ['0', '0.0.0.0'],
      ['4294967295', '255.255.255.255'],
    ])('%s is %s', (host, want) => {
      expect(parseIpv4Loose(host)).toBe(want);
    });

    it.each(['4294967296', '256.1.1.1', '1.2.3.4.5', '08.8.8.8', '1.256.65536', '1.2.3.256'])(
      '%s is numeric but no address',
      (host) => {
        expect(normalizeHost(host)).toBe('invalid');
      },
    );

    it.each(['localhost', 'example.com', 'etcd-0.internal', '8.8.8.8.nip.io', 'a1'])(
      '%s is a name',
      (host) => {
        expect(normalizeHost(host)).toBeUndefined();
      },
    );
  });

  describe('IPv6', () => {
    it.each([
      ['::ffff:8.8.8.8', { address: '8.8.8.8', family: 4 }],
      ['::ffff:808:808', { address: '8.8.8.8', family: 4 }],
      ['::FFFF:127.0.0.1', { address: '127.0.0.1', family: 4 }],
      ['::8.8.8.8', { address: '8.8.8.8', family: 4 }],
      ['::1', { address: '0:0:0:0:0:0:0:1', family: 6 }],
      ['2001:4860:4860::8888', { address: '2001:4860:4860:0:0:0:0:8888', family: 6 }],
      ['fe80::1%eth0', { address: 'fe80:0:0:0:0:0:0:1', family: 6 }],
    ])('%s is %j', (host, want) => {
      expect(normalizeHost(host)).toEqual(want);
    });
  });

  describe('classes', () => {
    it.each([
      ['127.0.0.1', 'loopback'],
      ['127.255.1.2', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['::1', 'loopback'],
      ['fd00::1', 'private'],
      ['fc00::1', 'private'],
      ['fe80::1', 'link-local'],
      ['::ffff:10.0.0.1', 'private'],
      ['172.32.0.1', 'public'],
      ['172.15.255.255', 'public'],
      ['8.8.8.8', 'public'],
      ['134744072', 'public'],
      ['0x7f000001', 'loopback'],
      ['::ffff:8.8.8.8', 'public'],
      ['2001:4860:4860::8888', 'public'],
      ['64:ff9b::808:808', 'public'],
      ['0.0.0.0', 'public'],
      ['::', 'public'],
      ['224.0.0.1', 'public'],
    ])('%s is %s', (host, want) => {
      const a = normalizeHost(host);
      if (a === undefined || a === 'invalid') throw new Error(`${host} did not normalise`);
      expect(classifyAddress(a)).toBe(want);
      expect(isOwnAddress(a)).toBe(want !== 'public');
    });
  });
});
