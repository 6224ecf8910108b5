import { describe, expect, it } from 'vitest';
import {
  ipBlockContains,
  isWholeFamily,
  parseCidr,
  parseIp,
  publicAddressIn,
  reachesPublic,
} from './cidr.js';

describe('addresses and CIDRs', () => {
  it.each([
    ['10.1.2.3', 4, 0x0a010203n],
    ['::1', 6, 1n],
    ['fd00::5', 6, (0xfd00n << 112n) | 5n],
    ['::ffff:1.2.3.4', 6, (0xffffn << 32n) | 0x01020304n],
    ['2001:db8:0:0:0:0:0:1', 6, (0x20010db8n << 96n) | 1n],
  ])('parses %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each(['1.2.3', '1.2.3.256', '01.2.3.4', '1::2::3', 'fd00::g', '1:2:3:4:5:6:7:8:9', ''])(
    'rejects %s',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );

  it.each([
    ['10.0.0.0/8', [], '10.255.0.1', true],
    ['10.0.0.0/8', ['10.1.0.0/16'], '10.1.0.1', false],
    ['10.0.0.0/8', ['10.1.0.0/16'], '10.2.0.1', true],
    ['192.168.1.7/24', [], '192.168.1.200', true],
    ['fd00::/8', [], 'fd12::1', true],
    ['fd00::/8', [], '10.0.0.1', false],
    ['0.0.0.0/0', [], '::1', false],
  ])('ipBlock %s except %j contains %s: %s', (cidr, except, ip, expected) => {
    expect(ipBlockContains(cidr, except, ip)).toBe(expected);
  });

  it.each([
    ['0.0.0.0/0', [], true],
    ['0.0.0.0/0', ['0.0.0.0/1', '128.0.0.0/1'], false],
    ['10.0.0.0/8', [], false],
    ['172.16.0.0/11', [], true],
    ['::/0', [], true],
    ['fd00::/8', [], false],
    ['203.0.113.0/24', [], true],
  ])('ipBlock %s except %j reaches the public internet: %s', (cidr, except, expected) => {
    expect(reachesPublic(cidr, except)).toBe(expected);
  });

  it('finds a public address inside a block', () => {
    expect(publicAddressIn('0.0.0.0/0', [])).toBe('1.0.0.0');
    expect(publicAddressIn('10.0.0.0/8', [])).toBeUndefined();
  });

  it('recognises whole-family blocks', () => {
    expect(isWholeFamily('0.0.0.0/0')).toBe(true);
    expect(isWholeFamily('::/0')).toBe(true);
    expect(isWholeFamily('0.0.0.0/1')).toBe(false);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
  });
});
