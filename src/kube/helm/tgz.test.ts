import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HelmError } from './errors.js';
import { unpackChart } from './tgz.js';

function header(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(type, 156);
  h.write('ustar\0', 257);
  return h;
}

function tar(entries: [string, string, string?][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, body, type] of entries) {
    const data = Buffer.from(body);
    parts.push(header(name, data.length, type), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

describe('packaged subcharts', () => {
  it('reads files below the top directory', () => {
    const files = unpackChart(
      tar([
        ['web/Chart.yaml', 'name: web\n'],
        ['web/templates/a.yaml', 'a: 1\n'],
      ]),
      'x.tgz',
    );
    expect([...files.keys()]).toEqual(['Chart.yaml', 'templates/a.yaml']);
    expect(Buffer.from(files.get('templates/a.yaml')!).toString()).toBe('a: 1\n');
  });

  it('skips links and refuses paths that climb out', () => {
    expect([
      ...unpackChart(
        tar([
          ['web/link', '', '2'],
          ['web/Chart.yaml', 'x'],
        ]),
        'x.tgz',
      ).keys(),
    ]).toEqual(['Chart.yaml']);
    expect(() => unpackChart(tar([['web/../../etc/passwd', 'x']]), 'x.tgz')).toThrow(HelmError);
  });

  it('refuses a gzip bomb', () => {
    const bomb = gzipSync(Buffer.alloc(65 * 1024 * 1024));
    expect(() => unpackChart(bomb, 'bomb.tgz')).toThrow(/larger than/);
  });
});
