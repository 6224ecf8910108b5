import { describe, expect, it } from 'vitest';
import { parseFlags, type Word } from './flags.js';

const words = (...texts: string[]): Word[] => texts.map((text, i) => ({ text, line: i + 1 }));

describe('control-plane flag parsing (pflag semantics)', () => {
  it.each<[string, string[], string, string | undefined]>([
    ['--flag=value', ['kube-apiserver', '--profiling=false'], 'profiling', 'false'],
    ['--flag value', ['--audit-log-path', '/var/log/audit.log'], 'audit-log-path', '/var/log/audit.log'],
    ['a boolean alone is true', ['--anonymous-auth'], 'anonymous-auth', 'true'],
    ['a boolean never takes the next word', ['--anonymous-auth', 'false'], 'anonymous-auth', 'true'],
    ['a boolean with =false', ['--anonymous-auth=false'], 'anonymous-auth', 'false'],
    ['the last occurrence wins', ['--profiling=true', '--profiling=false'], 'profiling', 'false'],
    [
      'a value flag followed by a flag is empty',
      ['--tls-cert-file', '--profiling=false'],
      'tls-cert-file',
      '',
    ],
    ['single dash', ['-v=2'], 'v', '2'],
    ['= inside the value', ['--feature-gates=A=true'], 'feature-gates', 'A=true'],
    ['after -- nothing is a flag', ['--', '--profiling=false'], 'profiling', undefined],
    ['an absent flag', ['kube-apiserver'], 'profiling', undefined],
  ])('%s', (_name, texts, flag, value) => {
    expect(parseFlags(words(...texts)).get(flag)?.value).toBe(value);
  });

  it('accumulates list flags over repeated occurrences, comma lists split and trimmed', () => {
    const f = parseFlags(
      words(
        '--enable-admission-plugins=NodeRestriction, AlwaysPullImages',
        '--enable-admission-plugins',
        'EventRateLimit',
      ),
    );
    expect(f.list('enable-admission-plugins')).toEqual({
      values: ['NodeRestriction', 'AlwaysPullImages', 'EventRateLimit'],
      line: 2,
    });
  });

  it('keeps the line of the occurrence in force', () => {
    expect(parseFlags(words('--profiling=true', 'x', '--profiling=false')).get('profiling')?.line).toBe(3);
  });
});
