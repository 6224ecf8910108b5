import { describe, expect, it } from 'vitest';
import type { ImageConfig } from '../../image/types.js';
import { MAX_CONFIG_HITS_PER_RULE, scanImageConfig, scanImageConfigReport } from './image-config.js';
import { ALNUM, FakeSecrets } from './testing/fake-secrets.js';

const fake = new FakeSecrets(3141);
const token = `ghp_${fake.chars(ALNUM, 36)}`;
const dbPassword = fake.password(18);
const apiKey = fake.chars(ALNUM, 32);
const npmToken = fake.chars(ALNUM, 24);

/** shaped like what `docker build` (BuildKit) records for a node image */
const config: ImageConfig = {
  architecture: 'amd64',
  os: 'linux',
  config: {
    Env: [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'NODE_VERSION=20.18.0',
      'YARN_VERSION=1.22.22',
      `GITHUB_TOKEN=${token}`,
      'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
      'DB_PASSWORD_FILE=/run/secrets/db',
    ],
    Labels: {
      'org.opencontainers.image.source': 'https://git.internal/orders',
      maintainer: 'ops@orders.internal',
    },
    Cmd: ['node', 'server.js'],
  },
  history: [
    { created_by: '/bin/sh -c #(nop) ADD file:5d1b2f in / ' },
    { created_by: 'ENV NODE_VERSION=20.18.0', empty_layer: true },
    { created_by: 'ARG DB_PASSWORD', empty_layer: true },
    { created_by: `RUN |1 DB_PASSWORD=${dbPassword} /bin/sh -c npm run migrate # buildkit` },
    { created_by: `/bin/sh -c #(nop)  LABEL api.key=${apiKey}`, empty_layer: true },
    { created_by: `buildah build --build-arg NPM_TOKEN=${npmToken} -t orders .`, comment: 'FROM node:20' },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a build-arg placeholder, on purpose
    { created_by: 'RUN |1 DB_PASSWORD=${DB_PASSWORD} /bin/sh -c echo placeholder only' },
  ],
};

describe('scanImageConfig', () => {
  const findings = scanImageConfig(config);

  it('finds a token in Env and a password passed as a build argument', () => {
    expect(
      findings.map((f) => [f.id, f.location.path, f.kind === 'secret' ? (f.evidence.key ?? null) : f.kind]),
    ).toEqual([
      ['github-pat', 'config:Env[3]', null],
      ['env-secret', 'config:history[3].created_by', 'DB_PASSWORD'],
      ['env-secret', 'config:history[4].created_by', 'api.key'],
      ['env-secret', 'config:history[5].created_by', 'NPM_TOKEN'],
    ]);
  });

  it('has no line numbers (the config is not a file) and all findings are secrets', () => {
    for (const f of findings) {
      expect(f.kind).toBe('secret');
      expect(f.location.line).toBeUndefined();
    }
  });

  it('never shows the raw values', () => {
    const json = JSON.stringify(findings);
    for (const raw of [token, dbPassword, apiKey, npmToken, token.slice(4, 30)])
      expect(json).not.toContain(raw);
    expect(findings[1]?.evidence).toMatchObject({
      match: `${dbPassword.slice(0, 2)}********${dbPassword.slice(-2)}`,
    });
  });

  it('reports secret-named labels and variables with real-looking values (a default password too)', () => {
    const out = scanImageConfig({
      config: {
        Labels: { 'ci.api_key': apiKey, version: '1.2.3' },
        Env: [
          `NPM_AUTH_TOKEN=${apiKey}`,
          'STRIPE_API_KEY=not-set',
          'POSTGRES_PASSWORD=postgres',
          'PWD=/srv/app',
        ],
      },
    });
    expect(out.map((f) => [f.id, f.location.path])).toEqual([
      ['env-secret', 'config:Env[0]'],
      ['env-secret', 'config:Env[2]'],
      ['env-secret', 'config:Labels["ci.api_key"]'],
    ]);
  });

  it('finds nothing in an ordinary image config', () => {
    expect(
      scanImageConfig({
        config: {
          Env: ['PATH=/usr/bin', 'LANG=C.UTF-8', 'JAVA_HOME=/opt/java'],
          Cmd: ['nginx', '-g', 'daemon off;'],
        },
        history: [{ created_by: '/bin/sh -c apt-get update && apt-get install -y curl' }],
      }),
    ).toEqual([]);
  });
});

describe('an image config with thousands of secret-looking Env entries', () => {
  it('reports the first findings of each rule and counts the rest in one error', () => {
    const Env = Array.from({ length: 3_000 }, (_, i) => `API_TOKEN_${i}=${fake.chars(ALNUM, 24)}`);
    const { findings, errors } = scanImageConfigReport({
      architecture: 'amd64',
      os: 'linux',
      config: { Env },
    });
    expect(findings).toHaveLength(MAX_CONFIG_HITS_PER_RULE);
    expect(errors).toEqual([
      `3000 matches of rule env-secret in the image config; only the first 1000 reported`,
    ]);
  });
});
