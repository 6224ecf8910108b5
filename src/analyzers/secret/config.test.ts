import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretAnalyzer } from './analyzer.js';
import { loadSecretConfig, parseSecretConfig } from './config.js';
import { SecretConfigError } from './errors.js';
import { FakeSecrets } from './testing/fake-secrets.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const fake = new FakeSecrets(99);
const LOWER_DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';

async function findings(config: ReturnType<typeof loadSecretConfig>, path: string, text: string) {
  const analyzer = createSecretAnalyzer(config);
  if (!analyzer.required({ path, size: text.length, mode: 0o100644 })) return undefined;
  const result = await analyzer.analyze(
    { meta: { path, size: text.length, mode: 0o100644 }, content: Buffer.from(text) },
    new AbortController().signal,
  );
  return (result.findings ?? []).map((f) => [
    f.id,
    f.location.line,
    f.kind === 'secret' ? f.evidence.match : f.kind,
  ]);
}

describe('secret config file', () => {
  const config = loadSecretConfig(fixture('custom-rules.yaml'));

  it('reads custom rules (Go-style regex syntax included), allow rules and switches', () => {
    expect(config.rules?.map((r) => [r.id, r.severity, r.category])).toEqual([
      ['acme-api-key', 'HIGH', 'Acme'],
      ['internal-password', 'MEDIUM', 'Custom'],
    ]);
    // (?i) is RE2's inline flag
    expect(config.rules?.[0]?.regex.test(`ACME_LIVE_${'A'.repeat(32)}`)).toBe(true);
    expect(config.disableRules).toEqual(['jwt']);
    expect(config.disableAllowRules).toEqual(['markdown']);
    expect(config.maxFileSize).toBe(1048576);
    expect(createSecretAnalyzer(config).maxFileSize).toBe(1048576);
  });

  it('finds secrets with a custom rule, redacted like the built-ins', async () => {
    const key = `acme_live_${fake.chars(LOWER_DIGITS, 32)}`;
    expect(await findings(config, 'srv/app/client.py', `\nKEY = "${key}"\n`)).toEqual([
      ['acme-api-key', 2, `acme********${key.slice(-4)}`],
    ]);
  });

  it('uses a named secret group and a path filter', async () => {
    const pw = fake.password(16);
    expect(await findings(config, 'etc/ci/agent.ini', `[agent]\nci_password = ${pw}\n`)).toEqual([
      ['internal-password', 2, `${pw.slice(0, 2)}********${pw.slice(-2)}`],
    ]);
    expect(await findings(config, 'etc/ci/agent.conf', `ci_password = ${pw}\n`)).toEqual([]);
  });

  it('applies rule-level and global allow rules, by path and by value', async () => {
    const key = `acme_live_${fake.chars(LOWER_DIGITS, 32)}`;
    expect(await findings(config, 'srv/app/docs/quickstart.py', `KEY = "${key}"\n`)).toEqual([]);
    expect(await findings(config, 'opt/acme-sdk/client.py', `KEY = "${key}"\n`)).toBeUndefined();
    expect(await findings(config, 'srv/app/client.py', `KEY = "acme_live_${'0'.repeat(32)}"\n`)).toEqual([]);
  });

  it('turns off built-in rules and built-in allow rules', async () => {
    const jwt = fake.jwt({ sub: 'svc' });
    expect(await findings(config, 'srv/app/token.txt', jwt)).toEqual([]);
    expect(await findings({}, 'srv/app/token.txt', jwt)).toHaveLength(1);
    // markdown files are scanned once their allow rule is off
    expect(await findings(config, 'srv/app/NOTES.md', 'x')).toEqual([]);
    expect(await findings({}, 'srv/app/NOTES.md', 'x')).toBeUndefined();
  });

  it('lets a custom rule replace the built-in rule with the same id', async () => {
    const custom = parseSecretConfig(
      "rules:\n  - id: github-pat\n    title: GitHub token (strict)\n    severity: LOW\n    regex: 'ghp_[A-Za-z0-9]{36}'\n",
      'inline.yaml',
    );
    const token = `ghp_${fake.chars(LOWER_DIGITS, 36)}`;
    const analyzer = createSecretAnalyzer(custom);
    const result = await analyzer.analyze(
      { meta: { path: 'a.sh', size: 40, mode: 0o100644 }, content: Buffer.from(token) },
      new AbortController().signal,
    );
    expect(result.findings?.map((f) => [f.id, f.severity])).toEqual([['github-pat', 'LOW']]);
  });

  it('treats an empty file as no customisation', () => {
    expect(parseSecretConfig('', 'empty.yaml')).toEqual({});
  });

  describe('errors name the file and the field', () => {
    it.each([
      [
        'bad-regex.yaml',
        /bad-regex\.yaml: rules\[0\]\.regex: rule "broken": invalid regular expression: missing closing \]/,
      ],
      [
        'bad-severity.yaml',
        /bad-severity\.yaml: rules\[0\]\.severity: must be one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN/,
      ],
      ['bad-field.yaml', /bad-field\.yaml: rules\[0\]: unknown field "keyword" \(expected one of id, /],
      ['bad-yaml.yaml', /bad-yaml\.yaml: not valid YAML/],
    ])('%s', (name, message) => {
      expect(() => loadSecretConfig(fixture(name))).toThrow(message);
      try {
        loadSecretConfig(fixture(name));
      } catch (err) {
        expect(err).toBeInstanceOf(SecretConfigError);
        expect((err as SecretConfigError).code).toBe('SECRET_CONFIG_INVALID');
        expect((err as SecretConfigError).userError).toBe(true);
        expect((err as Error).message).not.toContain('\n');
      }
    });

    it.each([
      ['rules: {}', 'x.yaml: rules: must be a list'],
      ['- a', 'x.yaml: must be a mapping'],
      ['rules:\n  - title: t\n    severity: LOW\n    regex: a+', 'x.yaml: rules[0].id: is required'],
      [
        "rules:\n  - id: a\n    title: t\n    severity: LOW\n    regex: 'a*'",
        'x.yaml: rules[0].regex: matches the empty string',
      ],
      [
        "rules:\n  - id: a\n    title: t\n    severity: LOW\n    regex: 'a+'\n    secret-group: s",
        'x.yaml: rules[0].secret-group: the regex has no group named "s"',
      ],
      [
        "rules:\n  - {id: a, title: t, severity: LOW, regex: 'a+'}\n  - {id: a, title: t, severity: LOW, regex: 'b+'}",
        'x.yaml: rules[1].id: duplicate rule id "a"',
      ],
      ['allow-rules:\n  - id: nothing', 'x.yaml: allow-rules[0]: needs a path, a regex or both'],
      ['disable-rules: [1]', 'x.yaml: disable-rules[0]: must be a non-empty string'],
      [
        "rules:\n  - {id: a, title: t, severity: LOW, regex: 'a+', keywords: [key, '']}",
        'x.yaml: rules[0].keywords[1]: must be a non-empty string',
      ],
      [
        "rules:\n  - {id: pw-rule, title: t, severity: LOW, regex: 'password=(?!changeme)\\w+'}",
        'x.yaml: rules[0].regex: rule "pw-rule": negative lookahead "(?!" is not supported: custom patterns run on RE2 (linear time), which has no lookaround or backreferences',
      ],
      [
        "rules:\n  - {id: quoted, title: t, severity: LOW, regex: '([\"'']).{8,}\\1'}",
        'x.yaml: rules[0].regex: rule "quoted": backreference "\\1" is not supported',
      ],
      [
        "rules:\n  - {id: r, title: t, severity: LOW, regex: 'a+', path: '(?<=etc/)x'}",
        'x.yaml: rules[0].path: rule "r": lookbehind "(?<=" is not supported',
      ],
      [
        "allow-rules:\n  - {id: not-test, regex: '^(?!test)'}",
        'x.yaml: allow-rules[0].regex: allow rule "not-test": negative lookahead "(?!" is not supported',
      ],
      [
        "rules:\n  - id: r\n    title: t\n    severity: LOW\n    regex: 'a+'\n    allow-rules: [{id: in-rule, path: 'x(?=y)'}]",
        'x.yaml: rules[0].allow-rules[0].path: allow rule "in-rule": lookahead "(?=" is not supported',
      ],
      ['max-file-size: -5', 'x.yaml: max-file-size: must be a positive integer (bytes)'],
      [
        "rules:\n  - {id: a, title: t, severity: LOW, regex: 'a+', entropy: 9}",
        'x.yaml: rules[0].entropy: must be a number of bits per character between 0 and 8',
      ],
    ])('%j → %s', (text, message) => {
      expect(() => parseSecretConfig(text, 'x.yaml')).toThrow(message);
    });

    it('a missing file', () => {
      expect(() => loadSecretConfig(fixture('nope.yaml'))).toThrow(
        expect.objectContaining({
          code: 'SECRET_CONFIG_NOT_FOUND',
          message: expect.stringContaining('nope.yaml'),
        }),
      );
    });
  });
});
