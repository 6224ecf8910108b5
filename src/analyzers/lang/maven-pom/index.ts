import { defineLangAnalyzer } from '../shared/define.js';
import { mavenPackage } from '../shared/naming.js';
import { baseName } from '../shared/paths.js';
import { pomDependencies } from './pom.js';

/**
 * `pom.xml`: declared dependencies whose versions the file itself fixes; test scope is dev. Versions
 * managed by a parent or BOM outside the file are not guessed (those dependencies are skipped).
 */
export const mavenPomAnalyzer = defineLangAnalyzer({
  name: 'lang/maven-pom',
  version: 1,
  maxFileSize: 4 * 1024 * 1024,
  wants: { names: ['pom.xml'] },
  required: (file) => baseName(file.path) === 'pom.xml' && !file.path.includes('META-INF/maven/'),
  parse: ({ content }) =>
    pomDependencies(content.toString('utf8'))
      .filter((d) => d.version !== undefined)
      .map((d) => mavenPackage(d.groupId, d.artifactId, d.version!, d.scope === 'test' ? { dev: true } : {})),
});
