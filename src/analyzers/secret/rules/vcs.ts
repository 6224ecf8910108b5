import type { SecretRule } from '../types.js';
import { END } from './helpers.js';

const token = (prefix: string, body: string): RegExp => new RegExp(`(?<secret>${prefix}${body})${END}`);

/** Source hosting and package registry tokens. */
export const vcsRules: readonly SecretRule[] = [
  {
    id: 'github-pat',
    category: 'GitHub',
    title: 'GitHub personal access token',
    severity: 'CRITICAL',
    regex: token('ghp_', '[A-Za-z0-9]{36}'),
    keywords: ['ghp_'],
    wordStart: true,
  },
  {
    id: 'github-fine-grained-pat',
    category: 'GitHub',
    title: 'GitHub fine-grained personal access token',
    severity: 'CRITICAL',
    regex: token('github_pat_', '[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'),
    keywords: ['github_pat_'],
    wordStart: true,
  },
  {
    id: 'github-oauth',
    category: 'GitHub',
    title: 'GitHub OAuth access token',
    severity: 'CRITICAL',
    regex: token('gho_', '[A-Za-z0-9]{36}'),
    keywords: ['gho_'],
    wordStart: true,
  },
  {
    id: 'github-app-token',
    category: 'GitHub',
    title: 'GitHub App token',
    severity: 'CRITICAL',
    regex: token('gh[us]_', '[A-Za-z0-9]{36}'),
    keywords: ['ghu_', 'ghs_'],
    wordStart: true,
  },
  {
    id: 'github-refresh-token',
    category: 'GitHub',
    title: 'GitHub refresh token',
    severity: 'CRITICAL',
    regex: token('ghr_', '[A-Za-z0-9]{36,76}'),
    keywords: ['ghr_'],
    wordStart: true,
  },
  {
    id: 'gitlab-pat',
    category: 'GitLab',
    title: 'GitLab personal access token',
    severity: 'CRITICAL',
    regex: token('glpat-', '[A-Za-z0-9_-]{20,64}'),
    keywords: ['glpat-'],
    wordStart: true,
  },
  {
    id: 'npm-access-token',
    category: 'npm',
    title: 'npm access token',
    severity: 'CRITICAL',
    regex: token('npm_', '[A-Za-z0-9]{36}'),
    keywords: ['npm_'],
    wordStart: true,
  },
  {
    id: 'pypi-upload-token',
    category: 'PyPI',
    title: 'PyPI upload token',
    severity: 'HIGH',
    // every PyPI macaroon starts with the base64 of its location, `pypi.org`
    regex: token('pypi-AgEIcHlwaS5vcmc', '[A-Za-z0-9_-]{50,1000}'),
    keywords: ['pypi-ageichlwas5vcmc'],
    wordStart: true,
  },
];
