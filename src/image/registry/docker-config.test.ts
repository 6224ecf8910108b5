import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeError } from '../../core/errors.js';
import {
  type DockerConfig,
  dockerConfigPath,
  loadDockerConfig,
  lookupCredentials,
  normalizeAuthKey,
} from './docker-config.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('docker config credentials', () => {
  let dir: string;
  const write = (doc: unknown) => {
    const path = join(dir, 'config.json');
    writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-docker-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the config through $DOCKER_CONFIG, else in ~/.docker', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/dc' }, '/home/u')).toBe('/etc/dc/config.json');
    expect(dockerConfigPath({}, '/home/u')).toBe('/home/u/.docker/config.json');
  });

  it.each([
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['http://127.0.0.1:5000', '127.0.0.1:5000'],
    ['Registry.Example.com/v2/', 'registry.example.com'],
    ['ghcr.io', 'ghcr.io'],
  ])('normalises the auths key %s to %s', (key, host) => {
    expect(normalizeAuthKey(key)).toBe(host);
  });

  describe('when auths holds entries', () => {
    const doc = {
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
        'http://127.0.0.1:5000': { auth: b64('local:secret') },
        'ghcr.io': { username: 'gh', password: 'token' },
        'quay.io': {},
        'acr.example.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'refresh-me' },
        'id.example.io': { identitytoken: 'only-token' },
      },
    };
    it.each([
      ['docker.io', { username: 'hubuser', password: 'hub:pass' }],
      ['127.0.0.1:5000', { username: 'local', password: 'secret' }],
      ['ghcr.io', { username: 'gh', password: 'token' }],
      ['quay.io', undefined],
      [
        'acr.example.io',
        { username: '00000000-0000-0000-0000-000000000000', password: '', identityToken: 'refresh-me' },
      ],
      ['id.example.io', { username: '<token>', password: '', identityToken: 'only-token' }],
      ['127.0.0.1:5001', undefined],
    ])('%s -> %j', (registry, creds) => {
      expect(lookupCredentials(loadDockerConfig(write(doc))!, registry)).toEqual(creds);
    });
  });

  it('asks a credential helper (credHelpers before auths, credsStore last)', () => {
    const helper = join(dir, 'docker-credential-fake');
    writeFileSync(
      helper,
      '#!/bin/sh\nread server\necho "{\\"Username\\":\\"helped\\",\\"Secret\\":\\"$server\\"}"\n',
    );
    chmodSync(helper, 0o755);
    const path = write({
      credHelpers: { 'ghcr.io': 'fake' },
      credsStore: 'fake',
      auths: { 'ghcr.io': { auth: b64('a:b') } },
    });
    const oldPath = process.env.PATH;
    process.env.PATH = `${dir}:${oldPath}`;
    try {
      const config = loadDockerConfig(path)!;
      expect(lookupCredentials(config, 'ghcr.io')).toEqual({ username: 'helped', password: 'ghcr.io' });
      expect(lookupCredentials(config, 'docker.io')).toEqual({
        username: 'helped',
        password: 'https://index.docker.io/v1/',
      });
    } finally {
      process.env.PATH = oldPath;
    }
  });

  describe('when a credential helper misbehaves', () => {
    const withHelper = (script: string, fn: (config: DockerConfig) => void) => {
      writeFileSync(join(dir, 'docker-credential-bad'), `#!/bin/sh\n${script}\n`);
      chmodSync(join(dir, 'docker-credential-bad'), 0o755);
      const oldPath = process.env.PATH;
      process.env.PATH = `${dir}:${oldPath}`;
      try {
        fn(loadDockerConfig(write({ credHelpers: { 'ghcr.io': 'bad' } }))!);
      } finally {
        process.env.PATH = oldPath;
      }
    };
    const failure = (fn: () => unknown): Error => {
      try {
        fn();
      } catch (err) {
        return err as Error;
      }
      throw new Error('did not fail');
    };

    it('never shows what it wrote on stdout (the secret) when it fails', () => {
      withHelper(
        'echo \'{"Username":"u","Secret":"hunter2-do-not-print"}\'; echo "keychain locked" >&2; exit 1',
        (config) => {
          const err = failure(() => lookupCredentials(config, 'ghcr.io'));
          const shown = describeError(err);
          expect(shown).toMatch(/docker-credential-bad failed: exit 1: keychain locked$/);
          expect(shown).not.toContain('hunter2');
        },
      );
    });

    it('shows only the exit status when it wrote nothing on stderr', () => {
      withHelper('echo \'{"Username":"u","Secret":"hunter2-do-not-print"}\'; exit 3', (config) => {
        const shown = describeError(failure(() => lookupCredentials(config, 'ghcr.io')));
        expect(shown).toMatch(/docker-credential-bad failed: exit 3$/);
        expect(shown).not.toContain('hunter2');
      });
    });

    it('still treats "credentials not found" as no credentials', () => {
      withHelper('echo "credentials not found in native keychain"; exit 1', (config) => {
        expect(lookupCredentials(config, 'ghcr.io')).toBeUndefined();
      });
    });

    it('kills a helper that hangs (even one that ignores SIGTERM) at the timeout', () => {
      withHelper('trap "" TERM\nsleep 30\necho never', (config) => {
        const started = Date.now();
        const err = failure(() => lookupCredentials(config, 'ghcr.io', { helperTimeoutMs: 500 }));
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(describeError(err)).toMatch(/docker-credential-bad failed: no answer in 0.5 s; killed/);
      });
    });
  });

  it.each(['fifo', 'directory'])('refuses a config that is a %s without blocking', (kind) => {
    const path = join(dir, `config-${kind}`);
    if (kind === 'fifo') execFileSync('mkfifo', [path]);
    else mkdirSync(path);
    expect(() => loadDockerConfig(path)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED', message: `${path}: cannot read docker config` }),
    );
  });

  it('a missing config means no credentials', () => {
    expect(loadDockerConfig(join(dir, 'nope.json'))).toBeUndefined();
  });

  it('a config that is not a JSON object names the file and the field', () => {
    const path = write(['auths']);
    expect(() => loadDockerConfig(path)).toThrow(
      expect.objectContaining({
        code: 'UNAUTHORIZED',
        message: `${path}: (root): expected object, got array`,
      }),
    );
  });

  it('skips entries of the wrong shape, as docker config readers always did here', () => {
    const config = loadDockerConfig(
      write({ auths: { 'a.io': 5, 'x.io': { auth: b64('u:p'), password: 1 } } }),
    )!;
    expect(config.auths).toEqual({ 'x.io': { auth: b64('u:p') } });
  });

  it.each([
    ['not JSON', '{', 'not valid JSON'],
    ['a bad auth value', { auths: { 'x.io': { auth: b64('no-colon') } } }, 'not base64 of user:password'],
  ])('%s is a clear error naming the file', (_name, doc, message) => {
    const path = write(doc);
    expect(() => lookupCredentials(loadDockerConfig(path)!, 'x.io')).toThrow(message);
    expect(() => lookupCredentials(loadDockerConfig(path)!, 'x.io')).toThrow(path);
  });
});
