import type { SecretRule } from '../types.js';
import { decodeBase64, isSecretName, isSecretValue } from './helpers.js';

const decodesToUserAndPassword = (auth: string): boolean => {
  const decoded = decodeBase64(auth);
  if (decoded === undefined) return false;
  const colon = decoded.indexOf(':');
  return colon > 0 && colon < decoded.length - 1;
};

/** Credentials in the files tools keep them in: Docker, npm, pip, netrc, kubeconfig, `.env`. */
export const fileRules: readonly SecretRule[] = [
  {
    id: 'docker-config-auth',
    category: 'Docker',
    title: 'Docker registry credentials (config.json auths)',
    severity: 'CRITICAL',
    regex: /"auth"\s*:\s*"(?<secret>[A-Za-z0-9+/]{8,}={0,2})"/,
    keywords: ['"auth"'],
    requires: ['"auths"'],
    validate: decodesToUserAndPassword,
  },
  {
    id: 'npmrc-auth',
    category: 'npm',
    title: 'npm registry credentials (.npmrc)',
    severity: 'CRITICAL',
    regex: /^[^\n#;]*?(?<key>_authToken|_auth|_password)\s*=\s*["']?(?<secret>[^\s"'#;]+)/m,
    keywords: ['_authtoken', '_auth', '_password'],
    path: /(?:^|\/)\.?npmrc$/,
  },
  {
    id: 'pypirc-password',
    category: 'PyPI',
    title: 'Python package index password (.pypirc)',
    severity: 'HIGH',
    regex: /^[ \t]*(?<key>password)[ \t]*[:=][ \t]*(?<secret>\S+)/m,
    keywords: ['password'],
    path: /(?:^|\/)\.pypirc$/,
  },
  {
    id: 'netrc-password',
    category: 'netrc',
    title: 'Password in a .netrc file',
    severity: 'HIGH',
    regex: /(?<![\w-])(?<key>password)[ \t\r\n]+(?<secret>[^\s]+)/,
    keywords: ['password'],
    path: /(?:^|\/)[._]netrc$/,
  },
  {
    id: 'kubeconfig-client-key',
    category: 'Kubernetes',
    title: 'Kubernetes client private key (kubeconfig client-key-data)',
    severity: 'CRITICAL',
    regex: /(?<key>client-key-data)["']?\s*:\s*["']?(?<secret>[A-Za-z0-9+/]{64,}={0,2})/,
    keywords: ['client-key-data'],
  },
  {
    id: 'kubeconfig-token',
    category: 'Kubernetes',
    title: 'Kubernetes bearer token (kubeconfig user token)',
    severity: 'CRITICAL',
    // the literal comes first so V8 scans for it; the lookbehind then anchors it at a line start
    regex: /(?<key>token)(?<=^[ \t-]*["']?token)["']?[ \t]*:[ \t]*["']?(?<secret>[A-Za-z0-9._~+/=-]{20,})/m,
    keywords: ['token:', 'token"', "token'"],
    requires: ['users', 'clusters'],
    minEntropy: 3.0,
  },
  {
    id: 'dotenv-secret',
    category: 'Environment',
    title: 'Secret in a .env file',
    severity: 'HIGH',
    regex: /^[ \t]*(?:export[ \t]+)?(?<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*["']?(?<secret>[^\s"']+)/m,
    path: /(?:^|\/)\.env(?:\.[\w.-]+)?$/,
    validate: (secret, groups) => isSecretName(groups.key ?? '') && isSecretValue(secret),
  },
];
