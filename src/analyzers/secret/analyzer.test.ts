import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/types.js';
import type { AnalysisInput, FileMeta } from '../types.js';
import { createSecretAnalyzer } from './analyzer.js';
import { ALNUM, FakeSecrets } from './testing/fake-secrets.js';

const fake = new FakeSecrets(7);
const analyzer = createSecretAnalyzer();
const REGULAR = 0o100644;
const meta = (path: string, size = 100, mode = REGULAR): FileMeta => ({ path, size, mode });

async function analyze(path: string, text: string | Buffer): Promise<readonly Finding[]> {
  const content = typeof text === 'string' ? Buffer.from(text) : text;
  const input: AnalysisInput = { meta: meta(path, content.length), content };
  const result = await analyzer.analyze(input, new AbortController().signal);
  return result.findings ?? [];
}

describe('secret analyzer', () => {
  it('sees every layer, with a 10 MiB cap per file', () => {
    expect(analyzer.name).toBe('secret/builtin');
    expect(analyzer.scope).toBe('every-layer');
    expect(analyzer.maxFileSize).toBe(10 * 1024 * 1024);
  });

  describe('required()', () => {
    it.each([
      ['srv/app/.env', true],
      ['root/.docker/config.json', true],
      ['etc/ssl/private/server.key', true],
      ['home/app/.npmrc', true],
      ['app/node_modules/aws-sdk/lib/credentials.js', true],
      ['usr/local/bin/entrypoint.sh', true],
      ['usr/lib/x86_64-linux-gnu/libssl.so.3', false],
      ['app/lib/native.so', false],
      ['opt/app/lib/libfoo.so.1.2.3', false],
      ['app/static/logo.png', false],
      ['app/lib/guava-33.0.jar', false],
      ['var/cache/apt/archives/curl.deb', false],
      ['app/dist/bundle.js.gz', false],
      ['usr/share/doc/openssl/README', false],
      ['usr/include/openssl/pem.h', false],
      ['usr/local/go/src/crypto/tls/handshake_test.go', false],
      ['usr/local/lib/python3.12/site-packages/botocore/data/endpoints.json', false],
      ['app/node_modules/jsonwebtoken/test/keys/priv.pem', false],
      ['app/node_modules/@aws-sdk/client-s3/examples/upload.js', false],
      ['venv/lib/python3.11/site-packages/requests/tests/test_auth.py', false],
      ['app/vendor/github.com/foo/bar/testdata/key.pem', false],
      ['srv/app/README.md', false],
      ['srv/app/node_modules/vite/dist/node/index.d.ts', false],
      ['srv/app/public/main.js.map', false],
      ['srv/app/public/main.js', true],
      ['app/node_modules/jsonwebtoken/README', false],
      ['venv/lib/python3.11/site-packages/PyJWT-2.6.0.dist-info/METADATA', false],
      ['venv/lib/python3.11/site-packages/jwt/api_jwt.py', true],
      ['srv/app/.env.example', false],
      ['srv/app/config/locales/en.yml', false],
      // `strata fs` paths are relative to the project
      ['.env', true],
      ['node_modules/jsonwebtoken/test/keys/priv.pem', false],
      ['node_modules/jsonwebtoken/README.md', false],
      ['vendor/github.com/foo/bar/examples/main.go', false],
      ['locales/de.json', false],
    ])('%s → %s', (path, wanted) => {
      expect(analyzer.required(meta(path))).toBe(wanted);
    });

    it('leaves large text files to the runner (reported as too large) but skips large executables', () => {
      const big = 64 * 1024 * 1024;
      expect(analyzer.required(meta('srv/app/dump.sql', big))).toBe(true);
      expect(analyzer.required(meta('usr/local/bin/node', big, 0o100755))).toBe(false);
      expect(analyzer.required(meta('opt/app/bin/server', big, 0o100644))).toBe(false);
      expect(analyzer.required(meta('usr/local/bin/entrypoint.sh', 2048, 0o100755))).toBe(true);
      expect(analyzer.required(meta('srv/app/server', 2 * 1024 * 1024, 0o100755))).toBe(false);
      expect(analyzer.required(meta('srv/app/data.json', 2 * 1024 * 1024, 0o100644))).toBe(true);
    });

    it('skips empty files and anything that is not a regular file', () => {
      expect(analyzer.required(meta('srv/app/.env', 0))).toBe(false);
      expect(analyzer.required(meta('srv/app/.env', 10, 0o120777))).toBe(false);
      expect(analyzer.required(meta('srv/app/.env', 10, 0o644))).toBe(true);
    });
  });

  describe('analyze()', () => {
    const token = `ghp_${fake.chars(ALNUM, 36)}`;
    const password = fake.password(20);
    const akia = fake.awsAccessKeyId();

    it('reports each secret with rule id, severity, path, line and redacted evidence', async () => {
      const text = [
        '#!/bin/sh',
        `export GITHUB_TOKEN=${token}`,
        'echo deploying',
        `psql postgres://deploy:${password}@db.internal:5432/app -c 'select 1'`,
        `aws configure set aws_access_key_id ${akia}`,
      ].join('\n');
      const findings = await analyze('srv/app/deploy.sh', text);
      expect(findings).toEqual([
        {
          id: 'github-pat',
          kind: 'secret',
          severity: 'CRITICAL',
          title: 'GitHub personal access token',
          description: expect.stringContaining('srv/app/deploy.sh'),
          location: { path: 'srv/app/deploy.sh', line: 2 },
          evidence: { rule: 'github-pat', category: 'GitHub', match: `ghp_********${token.slice(-4)}` },
        },
        expect.objectContaining({
          id: 'database-url-password',
          location: { path: 'srv/app/deploy.sh', line: 4 },
        }),
        expect.objectContaining({
          id: 'aws-access-key-id',
          location: { path: 'srv/app/deploy.sh', line: 5 },
        }),
      ]);
    });

    it('never puts a raw secret in any field of a finding', async () => {
      const pem = fake.pem('OPENSSH PRIVATE KEY');
      const jwt = fake.jwt({ sub: 'svc', aud: 'orders' });
      const text = `TOKEN=${token}\nDB=mysql://root:${password}@db/app\nKEY=${akia}\n${pem}\nJWT=${jwt}\n`;
      const findings = await analyze('srv/app/.env', text);
      expect(findings.map((f) => f.id).sort()).toEqual([
        'aws-access-key-id',
        'database-url-password',
        'github-pat',
        'jwt',
        'private-key',
      ]);
      const json = JSON.stringify(findings);
      const body = pem.split('\n').slice(1, -2);
      for (const raw of [token, password, akia, jwt, ...body, token.slice(4, 20), password.slice(1, 12)]) {
        expect(json).not.toContain(raw);
      }
    });

    it('reads UTF-8 text: lines count right and a non-ASCII value is redacted as characters', async () => {
      const pw = `Zürich-${fake.chars(ALNUM, 10)}-Ωmega`;
      const text = `# Konfiguration für Straße ✓\nurl: postgres://app:${pw}@db/app\n`;
      const findings = await analyze('srv/app/config.yml', text);
      expect(
        findings.map((f) => [f.id, f.location.line, f.kind === 'secret' ? f.evidence.match : f.kind]),
      ).toEqual([['database-url-password', 2, 'Züri********mega']]);
    });

    it('counts lines through CRLF line endings', async () => {
      const findings = await analyze('srv/app/run.cmd', `@echo off\r\nREM x\r\nset T=${token}\r\n`);
      expect(findings.map((f) => f.location.line)).toEqual([3]);
    });

    it('skips binary content (a NUL byte in the first 8 KiB) even with a secret in it', async () => {
      const bytes = Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]),
        Buffer.from(` ${token} `),
      ]);
      expect(await analyze('usr/local/bin/tool', bytes)).toEqual([]);
    });

    it('scans a text file whose NUL bytes come after the first 8 KiB', async () => {
      const text = Buffer.concat([Buffer.from(`a=${token}\n${'.'.repeat(9000)}`), Buffer.from([0])]);
      expect((await analyze('srv/app/data.txt', text)).map((f) => f.id)).toEqual(['github-pat']);
    });

    it('skips documented fake keys and placeholders', async () => {
      const text = [
        'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
        'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell placeholder, on purpose
        'url: postgres://app:${DB_PASSWORD}@db/app',
        'url2: mysql://app:<password>@db/app',
        'url3: redis://:changeme@cache:6379',
        'token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      ].join('\n');
      expect(await analyze('srv/app/settings.yaml', text)).toEqual([]);
    });

    it('still reports a real-looking secret that contains a placeholder word', async () => {
      const weird = `example${fake.chars(ALNUM, 12)}9`;
      const findings = await analyze('srv/app/settings.yaml', `url: postgres://app:${weird}@db/app\n`);
      expect(findings.map((f) => f.id)).toEqual(['database-url-password']);
    });

    it('stops when the scan is cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      const input = { meta: meta('a.txt', 1), content: Buffer.from('x') };
      await expect(analyzer.analyze(input, controller.signal)).rejects.toThrow();
    });
  });
});
