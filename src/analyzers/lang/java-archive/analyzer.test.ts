import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rawZip } from '../../../core/testing/raw-zip.js';
import { analyzeBytes, analyzeFixture, ids, meta } from '../shared/test-support.js';
import { fromNameAndManifest, readArchive } from './archive.js';
import { javaArchiveAnalyzer } from './index.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe('lang/java-archive analyzer', () => {
  describe('required()', () => {
    it.each([
      ['opt/app/app.jar', true],
      ['usr/local/tomcat/webapps/ROOT.war', true],
      ['opt/jboss/app.ear', true],
      ['var/jenkins_home/plugins/git.jpi', true],
      ['opt/app/APP.JAR', true],
      ['opt/app/app.jar.sha1', false],
      ['opt/app/classes.zip', false],
    ])('%s -> %s', (path, want) => {
      expect(javaArchiveAnalyzer.required(meta(path))).toBe(want);
    });
  });

  describe('analyze() on real archives', () => {
    it('reads pom.properties of a Maven Central jar', async () => {
      const result = await analyzeFixture(
        javaArchiveAnalyzer,
        fixture('jsr305-3.0.2.jar'),
        'app/lib/jsr305-3.0.2.jar',
      );
      expect(result.packages).toEqual([
        {
          type: 'maven',
          namespace: 'com.google.code.findbugs',
          name: 'jsr305',
          version: '3.0.2',
          path: 'app/lib/jsr305-3.0.2.jar',
          licenses: ['The Apache Software License, Version 2.0'],
          extra: { osvName: 'com.google.code.findbugs:jsr305' },
        },
      ]);
    });

    it.each([
      ['aopalliance-1.0.jar', ['aopalliance@1.0']],
      ['jsr305-0.1~+svn49.jar', ['jsr305@0.1~+svn49']],
    ])('falls back to the file name for %s (no group is invented)', async (file, want) => {
      const result = await analyzeFixture(javaArchiveAnalyzer, fixture(file), `usr/share/java/${file}`);
      expect(ids(result)).toEqual(want);
    });

    it('walks a fat jar: shaded metadata and nested jars at every depth', async () => {
      const result = await analyzeFixture(javaArchiveAnalyzer, fixture('app.jar'), 'app/app.jar');
      expect(result.errors).toBeUndefined();
      expect(ids(result)).toEqual([
        'aopalliance@1.0',
        'com.google.code.findbugs/jsr305@3.0.2',
        'javax.inject@1',
        'reactive-streams@1.0.4',
      ]);
      const inject = result.packages?.find((p) => p.name === 'javax.inject');
      expect(inject?.extra).toEqual({
        archivePath: 'BOOT-INF/lib/inner.war!/WEB-INF/lib/javax.inject-1.jar',
      });
      expect(inject?.path).toBe('app/app.jar');
    });
  });

  describe('corrupt archives', () => {
    it.each([
      ['bytes that are no zip', Buffer.from('not a zip at all, just text'.repeat(10))],
      ['a truncated jar', readFileSync(fixture('jsr305-3.0.2.jar')).subarray(0, 15_000)],
    ])('%s -> one error, no throw', async (_, bytes) => {
      const result = await analyzeBytes(javaArchiveAnalyzer, bytes, 'app/x.jar');
      expect(result.packages).toEqual([]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]).toMatch(/^zip: /);
    });

    it('keeps what it found when a nested jar is broken', async () => {
      const bytes = Buffer.from(readFileSync(fixture('app.jar')));
      const at = bytes.indexOf('BOOT-INF/lib/reactive-streams-1.0.4.jar');
      const local = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), at);
      const data = local + 30 + 'BOOT-INF/lib/reactive-streams-1.0.4.jar'.length;
      bytes.fill(0x41, data + 11_000, data + 11_640);
      const result = await analyzeBytes(javaArchiveAnalyzer, bytes, 'app/app.jar');
      expect(ids(result)).toContain('javax.inject@1');
      expect(result.errors?.[0]).toMatch(/^BOOT-INF\/lib\/reactive-streams-1\.0\.4\.jar: zip: /);
    });
  });

  describe('limits on nested archives', () => {
    const app = readFileSync(fixture('app.jar'));
    const names = (r: ReturnType<typeof readArchive>) => r.packages.map((p) => p.name).sort();

    it('skips a nested archive over the size cap and says so', () => {
      const r = readArchive(app, 'app.jar', [], { maxDepth: 4, maxNestedSize: 5_000, budget: 1e9 });
      expect(names(r)).toEqual(['aopalliance', 'javax.inject', 'jsr305']);
      expect(r.errors).toEqual([
        'BOOT-INF/lib/reactive-streams-1.0.4.jar: nested archive of 11640 bytes skipped (size limit)',
      ]);
    });

    it('stops at the depth cap', () => {
      const r = readArchive(app, 'app.jar', [], { maxDepth: 1, maxNestedSize: 1e9, budget: 1e9 });
      expect(names(r)).toEqual(['aopalliance', 'jsr305', 'reactive-streams']);
    });

    it('shares one inflation budget across the whole walk', () => {
      const r = readArchive(app, 'app.jar', [], { maxDepth: 4, maxNestedSize: 1e9, budget: 25_000 });
      expect(r.errors).toEqual([
        'BOOT-INF/lib/inner.war!/WEB-INF/lib/javax.inject-1.jar: nested archive of 2497 bytes skipped (size limit)',
      ]);
    });

    it('refuses a jar whose nested jars share their bytes (overlapping entries), at once', () => {
      const inner = rawZip([
        {
          name: 'META-INF/maven/org.ex/a/pom.properties',
          data: 'groupId=org.ex\nartifactId=a\nversion=1\n',
          method: 0,
        },
      ]);
      const aliases = Array.from({ length: 2000 }, (_, i) => ({ name: `lib/copy-${i}.jar`, sameAs: 0 }));
      const outer = rawZip([{ name: 'lib/a.jar', data: inner, method: 0 }], { aliases });
      const started = Date.now();
      expect(() =>
        readArchive(outer, 'app.jar', [], { maxDepth: 4, maxNestedSize: 1e9, budget: 1e9 }),
      ).toThrow('zip: entry lib/copy-0.jar overlaps another entry (a zip bomb)');
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('counts small reads (pom.properties) against the budget too', () => {
      const r = readArchive(app, 'app.jar', [], { maxDepth: 4, maxNestedSize: 1e9, budget: 16_200 });
      expect(r.errors[0]).toMatch(/over the archive's inflate budget/);
    });
  });

  describe('identity without pom.properties', () => {
    it.each([
      ['commons-lang3-3.12.0.jar', { 'Bundle-SymbolicName': 'org.apache.commons.lang3' }, undefined],
      ['lang3-3.12.0.jar', { 'Bundle-SymbolicName': 'org.apache.commons.lang3' }, 'org.apache.commons'],
      ['guava-31.1-jre.jar', { 'Implementation-Vendor-Id': 'com.google.guava' }, 'com.google.guava'],
    ])('%s with %j -> group %s', (file, manifest, group) => {
      expect(fromNameAndManifest(file, new Map(Object.entries(manifest)))?.groupId).toBe(group);
    });

    it('takes the version from the manifest when the name has none', () => {
      const id = fromNameAndManifest('lib/app.jar', new Map([['Implementation-Version', '2.0']]));
      expect(id).toEqual({ artifactId: 'app', version: '2.0' });
    });

    it('identifies nothing without any version', () => {
      expect(fromNameAndManifest('app.jar', new Map())).toBeUndefined();
    });
  });
});
