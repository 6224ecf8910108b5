import { describe, expect, it } from 'vitest';
import { shannonEntropy } from './entropy.js';
import { KeywordIndex } from './keyword-index.js';

const find = (keywords: string[], text: string) =>
  [...new KeywordIndex(keywords).find(Buffer.from(text))].sort();

describe('keyword index', () => {
  it.each([
    [['akia', 'ghp_'], 'key=AKIA0000', ['akia']],
    [['private key', 'key'], '-----BEGIN RSA PRIVATE KEY-----', ['key', 'private key']],
    [['he', 'she', 'his', 'hers'], 'ushers', ['he', 'hers', 'she']],
    [['token'], 'no secrets here', []],
    [['_authtoken', 'token'], '//reg/:_AuthToken=x', ['_authtoken', 'token']],
    [['sg.'], 'SG.abc', ['sg.']],
  ])('finds %j in %j (case-insensitive, overlapping)', (keywords, text, expected) => {
    expect(find(keywords, text)).toEqual(expected);
  });

  it('finds a keyword at the very end and across any byte values', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0x00, 0x80]), Buffer.from('xxGHP_')]);
    expect([...new KeywordIndex(['ghp_']).find(bytes)]).toEqual(['ghp_']);
  });
});

describe('shannon entropy', () => {
  it.each([
    ['', 0],
    ['aaaa', 0],
    ['abab', 1],
    ['abcd', 2],
    ['0123456789abcdef', 4],
  ])('%j has %d bits per character', (value, bits) => {
    expect(shannonEntropy(value)).toBeCloseTo(bits, 6);
  });
});
