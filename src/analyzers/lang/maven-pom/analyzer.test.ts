import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { mavenPomAnalyzer } from './index.js';

describe('lang/maven-pom analyzer', () => {
  it.each([
    ['pom.xml', true],
    ['src/app/pom.xml', true],
    ['app/META-INF/maven/g/a/pom.xml', false],
    ['root/.m2/repository/g/a/1/a-1.pom', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(mavenPomAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads a real POM: properties resolved, test scope dev, plugins and parent-managed versions skipped', async () => {
    const result = await analyzeFixture(
      mavenPomAnalyzer,
      new URL('./fixtures/pom.xml', import.meta.url),
      'pom.xml',
    );
    expect(result.errors).toBeUndefined();
    expect(ids(result)).toEqual([
      'commons-io/commons-io@2.11.0 (dev)',
      'org.apache.commons/commons-lang3@3.12.0',
      'org.apache.commons/commons-rng-simple@1.4 (dev)',
      'org.assertj/assertj-core@3.23.1 (dev)',
      'org.graalvm.js/js@22.0.0.2 (dev)',
      'org.graalvm.js/js-scriptengine@22.0.0.2 (dev)',
      'org.mockito/mockito-inline@4.8.0 (dev)',
      'org.openjdk.jmh/jmh-core@1.35 (dev)',
      'org.openjdk.jmh/jmh-generator-annprocess@1.35 (dev)',
    ]);
    expect(result.packages?.[1]?.extra).toEqual({ osvName: 'org.apache.commons:commons-lang3' });
  });

  it('resolves project.version, nested properties and its own dependencyManagement', async () => {
    const pom = `<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.ex</groupId><artifactId>parent</artifactId><version>7</version></parent>
  <artifactId>app</artifactId><version>1.2.0</version>
  <properties><base>2.1</base><lib.version>\${base}.3</lib.version></properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.ex</groupId><artifactId>managed</artifactId><version>\${lib.version}</version></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <!-- <dependency><groupId>x</groupId><artifactId>commented</artifactId><version>1</version></dependency> -->
    <dependency><groupId>\${project.groupId}</groupId><artifactId>sibling</artifactId><version>\${project.version}</version></dependency>
    <dependency><groupId>org.ex</groupId><artifactId>managed</artifactId></dependency>
    <dependency><groupId>org.ex</groupId><artifactId>from-bom</artifactId></dependency>
    <dependency><groupId>org.ex</groupId><artifactId>ranged</artifactId><version>[1.0,2.0)</version></dependency>
    <dependency><groupId>org.ex</groupId><artifactId>amp</artifactId><version>1.0&#46;1</version></dependency>
  </dependencies>
</project>`;
    const result = await analyzeBytes(mavenPomAnalyzer, Buffer.from(pom), 'pom.xml');
    expect(ids(result)).toEqual(['org.ex/amp@1.0.1', 'org.ex/managed@2.1.3', 'org.ex/sibling@1.2.0']);
  });

  it.each([
    ['a mismatched tag', '<project><dependencies></project>'],
    ['an unclosed element', '<project><dependencies>'],
    ['a different root', '<settings/>'],
  ])('reports %s in errors[]', async (_, xml) => {
    const result = await analyzeBytes(mavenPomAnalyzer, Buffer.from(xml), 'pom.xml');
    expect(result.packages).toEqual([]);
    expect(result.errors?.[0]).toMatch(/^(XML|pom\.xml): /);
  });
});
