import type { AllowRule } from './types.js';

/**
 * Files that hold documentation, tests and examples rather than credentials: skipped unread.
 * Learned from trivy's built-in allow rules, narrowed to the paths that language package managers
 * and distributions own, so an application's own files are always scanned.
 */
export const BUILTIN_PATH_ALLOW_RULES: readonly AllowRule[] = [
  {
    id: 'system-docs',
    description: 'distribution documentation, headers and shared data',
    path: /^usr\/(?:share|include)\//,
  },
  {
    id: 'system-libraries',
    description: 'distribution-owned libraries and language runtimes',
    path: /^(?:usr\/(?:lib|lib64|libexec)|lib|lib64)\//,
  },
  { id: 'go-toolchain', description: 'the Go toolchain of golang images', path: /^usr\/local\/go\// },
  {
    id: 'python-runtime',
    description: 'the Python standard library and site-packages of python images',
    path: /^usr\/local\/lib\/python[\d.]+\//,
  },
  {
    id: 'yarn-runtime',
    description: 'the yarn release shipped in node images',
    path: /^opt\/yarn-v[\d.]+\//,
  },
  {
    id: 'package-tests-and-examples',
    description: 'tests, examples and docs inside installed language packages',
    path: /(?:^|\/)(?:node_modules|site-packages|dist-packages|gems|vendor)\/(?:.+\/)?(?:tests?|__tests__|spec|specs|examples?|docs?|fixtures|testdata|samples?)\//,
  },
  {
    id: 'package-docs',
    description: 'READMEs, changelogs and long descriptions of installed language packages',
    path: /(?:^|\/)(?:node_modules|site-packages|dist-packages|gems|vendor)\/(?:.+\/)?(?:(?:README|CHANGELOG|CHANGES|HISTORY)(?:\.[A-Za-z]+)?|[^/]+\.(?:dist|egg)-info\/(?:METADATA|PKG-INFO|DESCRIPTION\.rst))$/i,
  },
  {
    id: 'test-fixtures',
    description: 'test data folders',
    path: /(?:^|\/)(?:testdata|__fixtures__|__snapshots__)\//,
  },
  {
    id: 'derived-files',
    description: 'type declarations and source maps: generated from code scanned on its own',
    path: /\.(?:d\.[cm]?ts|[cm]?js\.map|css\.map)$/,
  },
  { id: 'markdown', description: 'documentation files', path: /\.(?:md|markdown|rst|adoc)$/i },
  {
    id: 'templates',
    description: 'example and template files (.env.example, config.sample)',
    path: /\.(?:example|sample|template|tmpl|dist)$/i,
  },
  { id: 'locales', description: 'translation catalogues', path: /(?:^|\/)locales?\// },
];

/**
 * Values that are documented fakes or placeholders. Each pattern must match the whole value (or a
 * long run of one character, which random secrets never have), so a real-looking secret that merely
 * contains one of these words is still reported.
 */
export const BUILTIN_VALUE_ALLOW_RULES: readonly AllowRule[] = [
  {
    id: 'documented-fakes',
    description: "AWS's documentation keys",
    regex: /^(?:AKIAIOSFODNN7EXAMPLE|ASIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY)$/,
  },
  {
    id: 'placeholders',
    description: 'shell and template variables ($VAR, dollar-brace), {{ .Values.x }}, <password>, %(pw)s',
    regex: /^(?:\$\{[^}]*\}|\$\(?[A-Za-z_][A-Za-z0-9_]*\)?|\{\{.*\}\}|<[^<>]+>|%\([^)]*\)s|%s|\[[^\]]+\])$/,
  },
  {
    id: 'dummy-words',
    description: 'words that stand for a secret: changeme, password, example, dummy, your-token-here',
    regex:
      /^(?:change[-_]?me|changeit|password|passw0rd|secret|example|test|testing|dummy|placeholder|redacted|sample|none|null|nil|undefined|not[-_]?set|unset|empty|n\/a|true|false|todo|fixme|foo|bar|foobar|admin|root|pass|token|api[-_]?key|your[-_][\w-]*|insert[-_][\w-]*|replace[-_][\w-]*)$/i,
  },
  {
    id: 'masked-values',
    description: 'values made of one character repeated (xxxx, ****), or holding a run of 8 of them',
    regex: /^(.)\1*$|(.)\2{7}/,
  },
];
