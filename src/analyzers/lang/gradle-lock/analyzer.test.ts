import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFixture, meta } from '../shared/test-support.js';
import { gradleLockAnalyzer, isMainClasspath } from './index.js';

describe('lang/gradle-lock analyzer', () => {
  it.each([
    ['gradle.lockfile', true],
    ['app/gradle.lockfile', true],
    ['app/buildscript-gradle.lockfile', true],
    ['app/gradle.properties', false],
  ])('required(%s) -> %s', (path, want) => {
    expect(gradleLockAnalyzer.required(meta(path))).toBe(want);
  });

  it('reads a real lockfile: 45 dependencies, only main-classpath ones are not dev', async () => {
    const fixture = new URL('./fixtures/gradle.lockfile', import.meta.url);
    const result = await analyzeFixture(gradleLockAnalyzer, fixture, 'gradle.lockfile');
    expect(result.packages).toHaveLength(45);
    const prod = result.packages?.filter((p) => !p.dev).map((p) => p.extra?.osvName);
    expect(prod).toEqual(['com.google.code.findbugs:jsr305', 'org.eclipse.jdt:org.eclipse.jdt.annotation']);
    expect(result.packages?.find((p) => p.name === 'guava')).toMatchObject({
      namespace: 'com.google.guava',
      version: '31.1-jre',
      dev: true,
    });
  });

  it.each([
    ['compileClasspath', true],
    ['runtimeClasspath', true],
    ['releaseRuntimeClasspath', true],
    ['testCompileClasspath', false],
    ['androidTestRuntimeClasspath', false],
    ['checkstyle', false],
    ['annotationProcessor', false],
  ])('%s is a main classpath: %s', (conf, want) => {
    expect(isMainClasspath(conf)).toBe(want);
  });

  it('reports a line that is not a coordinate in errors[]', async () => {
    const result = await analyzeBytes(
      gradleLockAnalyzer,
      Buffer.from('a:b:1=compileClasspath\nnot a line\n'),
      'gradle.lockfile',
    );
    expect(result.errors).toEqual(['gradle.lockfile line 2: expected group:artifact:version=configurations']);
  });
});
