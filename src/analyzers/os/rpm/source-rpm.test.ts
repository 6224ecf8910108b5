import { describe, expect, it } from 'vitest';
import { parseSourceRpm } from './source-rpm.js';

describe('parseSourceRpm', () => {
  it.each([
    ['util-linux-2.32.1-42.el8_8.src.rpm', { name: 'util-linux', version: '2.32.1', release: '42.el8_8' }],
    ['curl-7.76.0-6.cm2.src.rpm', { name: 'curl', version: '7.76.0', release: '6.cm2' }],
    ['dive-0.9.2-1.src.rpm', { name: 'dive', version: '0.9.2', release: '1' }],
    ['python-pip-21.2.3-6.el9.nosrc.rpm', { name: 'python-pip', version: '21.2.3', release: '6.el9' }],
    ['openssl-1.1.1k-7.cm2~beta.src.rpm', { name: 'openssl', version: '1.1.1k', release: '7.cm2~beta' }],
  ])('%s', (fileName, expected) => {
    expect(parseSourceRpm(fileName)).toEqual(expected);
  });

  it.each([
    ['no suffix', 'bash-5.1.8-6.el9'],
    ['a binary rpm', 'bash-5.1.8-6.el9.x86_64.rpm'],
    ['only one dash', 'bash-5.1.8.src.rpm'],
    ['an empty name', '-5.1.8-6.src.rpm'],
    ['an empty release', 'bash-5.1.8-.src.rpm'],
    ['an empty version', 'bash--6.src.rpm'],
    ['the (none) placeholder', '(none)'],
  ])('rejects %s', (_case, fileName) => {
    expect(parseSourceRpm(fileName)).toBeUndefined();
  });
});
