import { describe, expect, it } from 'vitest';
import { createScanner, resolveSecretConfig } from './builtin.js';
import { BUILTIN_RULES } from './rules/index.js';
import { ALNUM, BASE64, FakeSecrets, HEX } from './testing/fake-secrets.js';

const fake = new FakeSecrets(20261128);
const scanner = createScanner(resolveSecretConfig());
const scan = (path: string, text: string) => scanner.scan(path, text).hits;

interface RuleCase {
  readonly rule: string;
  readonly path: string;
  readonly content: string;
  /** the raw value the finding is about */
  readonly secret: string;
  readonly line: number;
  /** looks close, must not be reported by this rule */
  readonly nearMiss: { readonly path: string; readonly content: string; readonly why: string };
}

const akia = fake.awsAccessKeyId();
const awsSecret = fake.awsSecretKey();
const gcpKey = fake.pem('PRIVATE KEY').replace(/\n/g, '\\n');
const azureKey = `${fake.chars(BASE64, 86)}==`;
const sharedKey = `${fake.chars(BASE64, 43)}=`;
const ghp = `ghp_${fake.chars(ALNUM, 36)}`;
const fineGrained = `github_pat_${fake.chars(ALNUM, 22)}_${fake.chars(ALNUM, 59)}`;
const gho = `gho_${fake.chars(ALNUM, 36)}`;
const ghs = `ghs_${fake.chars(ALNUM, 36)}`;
const ghr = `ghr_${fake.chars(ALNUM, 36)}`;
const glpat = `glpat-${fake.chars(ALNUM, 20)}`;
const npmToken = `npm_${fake.chars(ALNUM, 36)}`;
const pypiToken = `pypi-AgEIcHlwaS5vcmc${fake.chars(`${ALNUM}-_`, 120)}`;
const slackToken = `xoxb-${fake.chars('0123456789', 12)}-${fake.chars('0123456789', 13)}-${fake.chars(ALNUM, 24)}`;
const slackHook = `T${fake.chars('ABCDEFGHJK0123456789', 8)}/B${fake.chars('ABCDEFGHJK0123456789', 10)}/${fake.chars(ALNUM, 24)}`;
const stripeKey = `sk_live_${fake.chars(ALNUM, 24)}`;
const twilioKey = `SK${fake.chars(HEX, 32)}`;
const twilioToken = fake.chars(HEX, 32);
const sendgrid = `SG.${fake.chars(`${ALNUM}-_`, 22)}.${fake.chars(`${ALNUM}-_`, 43)}`;
const dockerAuth = Buffer.from(`ci-bot:${fake.password(20)}`).toString('base64');
const jwt = fake.jwt({ sub: 'user-1842', iat: 1732780800, scope: 'orders:read' });
const saToken = fake.jwt({
  iss: 'kubernetes/serviceaccount',
  'kubernetes.io/serviceaccount/namespace': 'payments',
  sub: 'system:serviceaccount:payments:api',
});
const dbPassword = fake.password(18);
const npmrcToken = fake.chars(HEX, 8) + '-' + fake.chars(HEX, 4) + '-' + fake.chars(HEX, 12);
const pypircPassword = fake.password(20);
const netrcPassword = fake.password(14);
const clientKey = fake.base64(900);
const kubeToken = fake.chars(`${ALNUM}.`, 48);
const envSecret = fake.password(24);
const genericSecret = fake.password(32);

const CASES: readonly RuleCase[] = [
  {
    rule: 'aws-access-key-id',
    path: 'root/.aws/credentials',
    content: `[default]\naws_access_key_id = ${akia}\n`,
    secret: akia,
    line: 2,
    nearMiss: { path: 'app/ids.txt', content: `id = ${akia.slice(0, 19)}\n`, why: 'one character short' },
  },
  {
    rule: 'aws-secret-access-key',
    path: 'root/.aws/credentials',
    content: `[default]\nregion = eu-west-1\naws_secret_access_key = ${awsSecret}\n`,
    secret: awsSecret,
    line: 3,
    nearMiss: { path: 'app/sums.txt', content: `sha1_key = ${awsSecret}\n`, why: 'no aws context' },
  },
  {
    rule: 'gcp-service-account',
    path: 'app/gcp.json',
    content: `{\n  "type": "service_account",\n  "project_id": "orders-prod",\n  "private_key_id": "${fake.chars(HEX, 40)}",\n  "private_key": "${gcpKey}",\n  "client_email": "api@orders-prod.iam.gserviceaccount.com"\n}\n`,
    secret: gcpKey,
    line: 5,
    nearMiss: {
      path: 'app/gcp.json',
      content: `{\n  "type": "service_account",\n  "project_id": "orders-prod",\n  "client_email": "api@orders-prod.iam.gserviceaccount.com"\n}\n`,
      why: 'no private key in the file',
    },
  },
  {
    rule: 'azure-storage-account-key',
    path: 'app/appsettings.json',
    content: `{\n  "Storage": "DefaultEndpointsProtocol=https;AccountName=ordersprod;AccountKey=${azureKey};EndpointSuffix=core.windows.net"\n}\n`,
    secret: azureKey,
    line: 2,
    nearMiss: {
      path: 'app/appsettings.json',
      content: `"Storage": "DefaultEndpointsProtocol=https;AccountName=ordersprod;AccountKey=${azureKey.slice(0, 40)}"\n`,
      why: 'truncated key',
    },
  },
  {
    rule: 'azure-shared-access-key',
    path: 'app/bus.env.json',
    content: `{"bus": "Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${sharedKey}"}\n`,
    secret: sharedKey,
    line: 1,
    nearMiss: {
      path: 'app/bus.env.json',
      content: `{"bus": "Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=send"}\n`,
      why: 'key name only',
    },
  },
  ...(
    [
      ['github-pat', ghp],
      ['github-fine-grained-pat', fineGrained],
      ['github-oauth', gho],
      ['github-app-token', ghs],
      ['github-refresh-token', ghr],
      ['gitlab-pat', glpat],
      ['npm-access-token', npmToken],
      ['stripe-secret-key', stripeKey],
      ['twilio-api-key', twilioKey],
      ['sendgrid-api-key', sendgrid],
    ] as const
  ).map(
    ([rule, token]): RuleCase => ({
      rule,
      path: 'srv/app/deploy.sh',
      content: `#!/bin/sh\nset -eu\ncurl -H "Authorization: Bearer ${token}" https://api.internal/\n`,
      secret: token,
      line: 3,
      nearMiss: {
        path: 'srv/app/deploy.sh',
        content: `#!/bin/sh\ncurl -H "Authorization: Bearer ${token.slice(0, -5)}" https://api.internal/\n`,
        why: 'too short for the format',
      },
    }),
  ),
  {
    rule: 'pypi-upload-token',
    path: 'root/.config/pip/upload.sh',
    content: `twine upload -u __token__ -p ${pypiToken} dist/*\n`,
    secret: pypiToken,
    line: 1,
    nearMiss: {
      path: 'root/.config/pip/upload.sh',
      content: `twine upload -u __token__ -p pypi-AgENdGVzdC5weXBpLm9yZw${fake.chars(ALNUM, 20)} dist/*\n`,
      why: 'a short token for another index',
    },
  },
  {
    rule: 'slack-token',
    path: 'srv/bot/config.ini',
    content: `[slack]\nbot_token = ${slackToken}\n`,
    secret: slackToken,
    line: 2,
    nearMiss: {
      path: 'srv/bot/config.ini',
      content: `[slack]\nbot_token = xoxz-${slackToken.slice(5)}\n`,
      why: 'unknown type',
    },
  },
  {
    rule: 'slack-webhook',
    path: 'etc/alertmanager/alertmanager.yml',
    content: `receivers:\n- name: ops\n  slack_configs:\n  - api_url: https://hooks.slack.com/services/${slackHook}\n`,
    secret: slackHook,
    line: 4,
    nearMiss: {
      path: 'etc/alertmanager/alertmanager.yml',
      content: `  - api_url: https://hooks.slack.com/services/\n`,
      why: 'no webhook path',
    },
  },
  {
    rule: 'twilio-auth-token',
    path: 'srv/app/settings.py',
    content: `TWILIO_ACCOUNT_SID = "AC${fake.chars(HEX, 32)}"\nTWILIO_AUTH_TOKEN = "${twilioToken}"\n`,
    secret: twilioToken,
    line: 2,
    nearMiss: {
      path: 'srv/app/settings.py',
      content: `TWILIO_AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]\n`,
      why: 'read from the environment',
    },
  },
  {
    rule: 'docker-config-auth',
    path: 'root/.docker/config.json',
    content: `{\n  "auths": {\n    "registry.internal:5000": {\n      "auth": "${dockerAuth}"\n    }\n  }\n}\n`,
    secret: dockerAuth,
    line: 4,
    nearMiss: {
      path: 'root/.docker/config.json',
      content: `{\n  "auths": {\n    "registry.internal:5000": {}\n  },\n  "credsStore": "pass"\n}\n`,
      why: 'credentials kept in a helper',
    },
  },
  {
    rule: 'kubernetes-service-account-token',
    path: 'var/run/secrets/kubernetes.io/serviceaccount/token',
    content: saToken,
    secret: saToken,
    line: 1,
    nearMiss: {
      path: 'app/token',
      content: `${saToken.split('.').slice(0, 2).join('.')}.\n`,
      why: 'unsigned',
    },
  },
  {
    rule: 'jwt',
    path: 'srv/app/config.yaml',
    content: `api:\n  bearer: ${jwt}\n`,
    secret: jwt,
    line: 2,
    nearMiss: {
      path: 'srv/app/config.yaml',
      content:
        `api:\n  bearer: eyJhbGciOiJub25lIn0x.eyJzdWIiOiIxIn0xxxx.${fake.chars(ALNUM, 20)}garbage!\n`.replace(
          'eyJhbGciOiJub25lIn0x',
          'eyJub3QtYS1qd3QiOjF9',
        ),
      why: 'header is not a JWT header',
    },
  },
  {
    rule: 'database-url-password',
    path: 'srv/app/config/database.yml',
    content: `production:\n  url: postgres://orders:${dbPassword}@db.internal:5432/orders\n`,
    secret: dbPassword,
    line: 2,
    nearMiss: {
      path: 'srv/app/config/database.yml',
      content: `production:\n  url: postgres://orders@db.internal:5432/orders\n`,
      why: 'no password in the URL',
    },
  },
  {
    rule: 'npmrc-auth',
    path: 'home/node/.npmrc',
    content: `registry=https://npm.internal/\n//npm.internal/:_authToken=${npmrcToken}\n`,
    secret: npmrcToken,
    line: 2,
    nearMiss: {
      path: 'home/node/.npmrc',
      content: `registry=https://npm.internal/\n//npm.internal/:_authToken=\${NPM_TOKEN}\n`,
      why: 'token comes from the environment',
    },
  },
  {
    rule: 'pypirc-password',
    path: 'root/.pypirc',
    content: `[distutils]\nindex-servers = internal\n\n[internal]\nrepository = https://pypi.internal/\nusername = ci\npassword = ${pypircPassword}\n`,
    secret: pypircPassword,
    line: 7,
    nearMiss: {
      path: 'root/pypirc.txt',
      content: `password = ${pypircPassword}\n`,
      why: 'not a .pypirc file',
    },
  },
  {
    rule: 'netrc-password',
    path: 'root/.netrc',
    content: `machine git.internal\n  login ci\n  password ${netrcPassword}\n`,
    secret: netrcPassword,
    line: 3,
    nearMiss: { path: 'root/.netrc', content: `machine git.internal\n  login ci\n`, why: 'no password' },
  },
  {
    rule: 'kubeconfig-client-key',
    path: 'root/.kube/config',
    content: `apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: https://10.0.0.1:6443\nusers:\n- name: admin\n  user:\n    client-key-data: ${clientKey}\n`,
    secret: clientKey,
    line: 10,
    nearMiss: {
      path: 'root/.kube/config',
      content: `users:\n- name: admin\n  user:\n    client-key-data: ""\n`,
      why: 'empty',
    },
  },
  {
    rule: 'kubeconfig-token',
    path: 'root/.kube/config',
    content: `apiVersion: v1\nkind: Config\nclusters:\n- name: prod\nusers:\n- name: deployer\n  user:\n    token: ${kubeToken}\n`,
    secret: kubeToken,
    line: 8,
    nearMiss: {
      path: 'srv/app/values.yaml',
      content: `auth:\n  token: ${kubeToken}\n`,
      why: 'not a kubeconfig',
    },
  },
  {
    rule: 'dotenv-secret',
    path: 'srv/app/.env',
    content: `NODE_ENV=production\nPORT=8080\nSESSION_SECRET=${envSecret}\n`,
    secret: envSecret,
    line: 3,
    nearMiss: {
      path: 'srv/app/.env',
      content: `NODE_ENV=production\nSESSION_SECRET_FILE=/run/secrets/session\nAPI_TOKEN=\n`,
      why: 'a file reference and an empty value',
    },
  },
  {
    rule: 'generic-secret-assignment',
    path: 'srv/app/settings.py',
    content: `DEBUG = False\nSECRET_KEY = "${genericSecret}"\n`,
    secret: genericSecret,
    line: 2,
    nearMiss: {
      path: 'srv/app/settings.py',
      content: `SECRET_KEY = "aaaaaaaabbbbbbbbcccc"\nSECRET_KEY = os.environ["SECRET_KEY"]\n`,
      why: 'low entropy, or not a literal',
    },
  },
];

describe('built-in secret rules', () => {
  it('have unique ids and a test case each (env-secret and private-key are tested on their own)', () => {
    const ids = BUILTIN_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const tested = new Set([...CASES.map((c) => c.rule), 'env-secret', 'private-key']);
    expect(ids.filter((id) => !tested.has(id))).toEqual([]);
  });

  describe.each(CASES)('$rule', (c) => {
    it('finds the secret at its line', () => {
      const hits = scan(c.path, c.content);
      expect(hits.map((h) => [h.rule.id, h.line, h.secret])).toEqual([[c.rule, c.line, c.secret]]);
    });

    it(`ignores a near miss (${c.nearMiss.why})`, () => {
      const hits = scan(c.nearMiss.path, c.nearMiss.content);
      expect(hits.map((h) => h.rule.id)).not.toContain(c.rule);
    });
  });
});

describe('private-key rule', () => {
  it.each([
    'RSA PRIVATE KEY',
    'EC PRIVATE KEY',
    'DSA PRIVATE KEY',
    'OPENSSH PRIVATE KEY',
    'PRIVATE KEY',
    'ENCRYPTED PRIVATE KEY',
  ])('reports a %s block at its BEGIN line', (label) => {
    const text = `# deploy key\n\n${fake.pem(label)}`;
    const hits = scan('srv/app/keys/deploy.pem', text);
    expect(hits.map((h) => [h.rule.id, h.line])).toEqual([['private-key', 3]]);
  });

  it('reports a PGP private key block with armour headers', () => {
    const body = fake
      .base64(700)
      .match(/.{1,64}/g)!
      .join('\n');
    const text = `-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: release signing\n\n${body}\n=${fake.chars(BASE64, 4)}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
    expect(scan('root/signing.asc', text).map((h) => [h.rule.id, h.line])).toEqual([['private-key', 1]]);
  });

  it.each([
    ['a public key', fake.pem('PUBLIC KEY')],
    ['a certificate', fake.pem('CERTIFICATE')],
    [
      'a BEGIN line in parser code',
      `if (line === '-----BEGIN RSA PRIVATE KEY-----') {\n  inKey = true;\n}\n`,
    ],
    ['a placeholder body', '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n'],
  ])('ignores %s', (_what, text) => {
    expect(scan('srv/app/x.pem', text)).toEqual([]);
  });

  it('reports two keys in one file separately', () => {
    const text = fake.pem('RSA PRIVATE KEY') + fake.pem('EC PRIVATE KEY');
    const hits = scan('srv/app/keys.pem', text);
    expect(hits.map((h) => h.line)).toEqual([1, 1 + text.split('-----END')[0]!.split('\n').length]);
  });
});

describe('generic-secret-assignment', () => {
  const value = fake.password(20);
  it.each([
    ['JSON', `{"apiKey": "${value}"}`, 'apiKey'],
    ['YAML', `db:\n  password: '${value}'`, 'password'],
    ['Python', `DB_PASSWORD = "${value}"`, 'PASSWORD'],
    ['Go', `secretKey := "${value}"`, 'secretKey'],
    ['Ruby', `:auth_token => "${value}"`, 'token'],
  ])('finds a literal assigned in %s', (_lang, text, key) => {
    const hits = scan('srv/app/src/config.any', text);
    expect(hits.map((h) => [h.rule.id, h.secret, h.key])).toEqual([
      ['generic-secret-assignment', value, key],
    ]);
  });

  it.each([
    ['a function call', `password = getenv("${value}")`],
    ['a literal assigned to another name after a short one', `token = "abc", label = "${value}"`],
    ['a sentence', `The secret: "${value.replace(/[0-9]/g, ' ')}"`],
  ])('ignores %s', (_what, text) => {
    expect(scan('srv/app/src/config.any', text)).toEqual([]);
  });
});

describe('tokens glued to a longer word', () => {
  it.each([
    ['an AWS key id', `xid=X${akia}`],
    ['a GitHub token', `prefix${ghp}`],
    ['a Stripe key', `my_${stripeKey}`],
  ])('are not reported: %s', (_what, text) => {
    expect(scan('srv/app/ids.txt', text)).toEqual([]);
  });

  it.each([
    ['start of file', akia],
    ['after a quote', `"${akia}"`],
    ['after =', `KEY=${akia}`],
  ])('are reported at a word start: %s', (_what, text) => {
    expect(scan('srv/app/ids.txt', text).map((h) => h.rule.id)).toEqual(['aws-access-key-id']);
  });
});

describe('when several rules match the same text', () => {
  it('keeps only the most specific rule', () => {
    const hits = scan('srv/app/.env', `GITHUB_TOKEN=${ghp}\n`);
    expect(hits.map((h) => h.rule.id)).toEqual(['github-pat']);
  });

  it('reports a GCP key file once, not also as a private key', () => {
    const gcp = CASES.find((c) => c.rule === 'gcp-service-account')!;
    expect(scan(gcp.path, gcp.content).map((h) => h.rule.id)).toEqual(['gcp-service-account']);
  });

  it('reports a service-account token as such, not as a generic JWT', () => {
    expect(scan('app/token', saToken).map((h) => h.rule.id)).toEqual(['kubernetes-service-account-token']);
  });
});
