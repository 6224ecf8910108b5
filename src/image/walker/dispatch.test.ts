import { describe, expect, it } from 'vitest';
import type { Analyzer, FileInterest } from '../../core/analyzer.js';
import { AnalyzerDispatch } from './dispatch.js';

function analyzer(name: string, match: RegExp, wants?: FileInterest): Analyzer & { asked: string[] } {
  const asked: string[] = [];
  return {
    name,
    version: 1,
    asked,
    ...(wants ? { wants } : {}),
    required: (f) => {
      asked.push(f.path);
      return match.test(f.path);
    },
    analyze: async () => ({}),
  };
}

const meta = (path: string) => ({ path, size: 10, mode: 0o100644 });

describe('analyzer dispatch', () => {
  it('asks an analyzer with `wants` only about files of those names and extensions', () => {
    const lock = analyzer('lock', /(?:^|\/)yarn\.lock$/, { names: ['yarn.lock'] });
    const jar = analyzer('jar', /\.jar$/i, { extensions: ['jar'] });
    const dispatch = new AnalyzerDispatch([lock, jar]);
    expect(dispatch.wanting(meta('app/yarn.lock')).map((a) => a.name)).toEqual(['lock']);
    expect(dispatch.wanting(meta('opt/lib/App.JAR')).map((a) => a.name)).toEqual(['jar']);
    expect(dispatch.wanting(meta('etc/passwd'))).toEqual([]);
    expect(lock.asked).toEqual(['app/yarn.lock']);
    expect(jar.asked).toEqual(['opt/lib/App.JAR']);
  });

  it('asks an analyzer without `wants` about every file, and keeps the registration order', () => {
    const every = analyzer('every', /./);
    const lock = analyzer('lock', /yarn\.lock$/, { names: ['yarn.lock'] });
    const last = analyzer('last', /./);
    const dispatch = new AnalyzerDispatch([lock, every, last]);
    expect(dispatch.wanting(meta('yarn.lock')).map((a) => a.name)).toEqual(['lock', 'every', 'last']);
    expect(dispatch.wanting(meta('a/b')).map((a) => a.name)).toEqual(['every', 'last']);
    expect(every.asked).toEqual(['yarn.lock', 'a/b']);
  });

  it('takes the extension of a dotted base name, and none from a dotted directory', () => {
    const info = analyzer('egg', /\.egg-info$/, { extensions: ['egg-info'] });
    const dispatch = new AnalyzerDispatch([info]);
    expect(dispatch.wanting(meta('lib/.egg-info'))).toEqual([info]);
    expect(dispatch.wanting(meta('lib/x.egg-info'))).toEqual([info]);
    expect(dispatch.wanting(meta('lib.egg-info/README'))).toEqual([]);
  });
});
