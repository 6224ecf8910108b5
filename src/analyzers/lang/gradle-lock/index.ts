import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { malformed } from '../shared/errors.js';
import { mavenPackage } from '../shared/naming.js';
import { baseName } from '../shared/paths.js';

/** `group:artifact:version=conf1,conf2` */
const LINE = /^([^:\s=]+):([^:\s=]+):([^:\s=]+)(?:=(.*))?$/;

/**
 * `gradle.lockfile` (and `buildscript-gradle.lockfile`). A dependency is dev when none of its
 * configurations is a main compile or runtime classpath (tests, checkstyle, jacoco... only).
 */
export const gradleLockAnalyzer = defineLangAnalyzer({
  name: 'lang/gradle-lock',
  version: 1,
  maxFileSize: 8 * 1024 * 1024,
  wants: { extensions: ['lockfile'] },
  required: (file) => /(?:^|-)gradle\.lockfile$/.test(baseName(file.path)),
  parse: ({ content }) => {
    const out: PackageDraft[] = [];
    let lineNo = 0;
    for (const raw of content.toString('utf8').split(/\r?\n/)) {
      lineNo++;
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
      const m = LINE.exec(line);
      if (!m)
        throw malformed(`gradle.lockfile line ${lineNo}: expected group:artifact:version=configurations`);
      const configurations = (m[4] ?? '').split(',').filter(Boolean);
      const dev = configurations.length > 0 && !configurations.some(isMainClasspath);
      out.push(mavenPackage(m[1], m[2]!, m[3]!, dev ? { dev: true } : {}));
    }
    return out;
  },
});

/** `compileClasspath`, `runtimeClasspath`, `releaseRuntimeClasspath`; not `testCompileClasspath`. */
export function isMainClasspath(configuration: string): boolean {
  return (
    /(?:^|[a-z])(?:compile|runtime|Compile|Runtime)Classpath$/.test(configuration) &&
    !/test/i.test(configuration)
  );
}
