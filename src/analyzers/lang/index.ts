import type { Analyzer } from '../types.js';
import { bundlerAnalyzer } from './bundler/index.js';
import { cargoLockAnalyzer } from './cargo-lock/index.js';
import { composerAnalyzer } from './composer/index.js';
import { composerLockAnalyzer } from './composer-lock/index.js';
import { dotnetDepsAnalyzer } from './dotnet-deps/index.js';
import { gemspecAnalyzer } from './gemspec/index.js';
import { goBinaryAnalyzer } from './go-binary/index.js';
import { goModAnalyzer } from './go-mod/index.js';
import { gradleLockAnalyzer } from './gradle-lock/index.js';
import { javaArchiveAnalyzer } from './java-archive/index.js';
import { mavenPomAnalyzer } from './maven-pom/index.js';
import { npmAnalyzer } from './npm/index.js';
import { npmLockAnalyzer } from './npm-lock/index.js';
import { nugetLockAnalyzer } from './nuget-lock/index.js';
import { pipAnalyzer } from './pip/index.js';
import { pipenvAnalyzer } from './pipenv/index.js';
import { pnpmAnalyzer } from './pnpm/index.js';
import { poetryAnalyzer } from './poetry/index.js';
import { pyprojectAnalyzer } from './pyproject/index.js';
import { pythonAnalyzer } from './python/index.js';
import { rustBinaryAnalyzer } from './rust-binary/index.js';
import { uvAnalyzer } from './uv/index.js';
import { yarnAnalyzer } from './yarn/index.js';

/** Every language-package analyzer, installed packages and lockfiles alike, in name order. */
export const LANGUAGE_ANALYZERS: readonly Analyzer[] = [
  bundlerAnalyzer,
  cargoLockAnalyzer,
  composerAnalyzer,
  composerLockAnalyzer,
  dotnetDepsAnalyzer,
  gemspecAnalyzer,
  goBinaryAnalyzer,
  goModAnalyzer,
  gradleLockAnalyzer,
  javaArchiveAnalyzer,
  mavenPomAnalyzer,
  npmAnalyzer,
  npmLockAnalyzer,
  nugetLockAnalyzer,
  pipAnalyzer,
  pipenvAnalyzer,
  pnpmAnalyzer,
  poetryAnalyzer,
  pyprojectAnalyzer,
  pythonAnalyzer,
  rustBinaryAnalyzer,
  uvAnalyzer,
  yarnAnalyzer,
];

export { LangError, type LangErrorCode } from './shared/errors.js';
export { normalizePypiName } from './shared/naming.js';
export {
  bundlerAnalyzer,
  cargoLockAnalyzer,
  composerAnalyzer,
  composerLockAnalyzer,
  dotnetDepsAnalyzer,
  gemspecAnalyzer,
  goBinaryAnalyzer,
  goModAnalyzer,
  gradleLockAnalyzer,
  javaArchiveAnalyzer,
  mavenPomAnalyzer,
  npmAnalyzer,
  npmLockAnalyzer,
  nugetLockAnalyzer,
  pipAnalyzer,
  pipenvAnalyzer,
  pnpmAnalyzer,
  poetryAnalyzer,
  pyprojectAnalyzer,
  pythonAnalyzer,
  rustBinaryAnalyzer,
  uvAnalyzer,
  yarnAnalyzer,
};
