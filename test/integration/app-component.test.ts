import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strata } from '../support/cli.js';

/**
 * Issue 13 "the application itself is a component of the SBOM": a Go binary built with a plain
 * `go build` (main module `(devel)`) and an npm project, scanned as the user does
 * (`strata sbom DIR`, `strata fs DIR`); the application is the component its dependencies hang under.
 */
const pexec = promisify(execFile);
const hasGo = await pexec('go', ['version']).then(
  () => true,
  () => false,
);
const env = {
  ...process.env,
  GOFLAGS: '-mod=mod',
  GOPROXY: 'off',
  GOTOOLCHAIN: 'local',
  GOWORK: 'off',
  CGO_ENABLED: '0',
};

let work: string;
let project: string;

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

interface Cdx {
  metadata: { component: { 'bom-ref': string } };
  components: { 'bom-ref': string; type: string; name: string; version?: string }[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-app-'));
  project = join(work, 'project');
  write(project, {
    'web/package-lock.json': JSON.stringify({
      name: 'shop-web',
      version: '2.3.0',
      lockfileVersion: 3,
      packages: {
        '': { name: 'shop-web', version: '2.3.0', dependencies: { ms: '2.1.3' } },
        'node_modules/ms': { version: '2.1.3', license: 'MIT' },
      },
    }),
  });
  if (!hasGo) return;
  const src = join(work, 'src');
  write(src, {
    'greet/go.mod': 'module example.com/greet\n\ngo 1.21\n',
    'greet/greet.go': 'package greet\n\nfunc Hello() string { return "hello" }\n',
    'app/go.mod':
      'module example.com/app\n\ngo 1.21\n\nrequire example.com/greet v1.4.2\n\nreplace example.com/greet v1.4.2 => ../greet\n',
    'app/main.go':
      'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greet"\n)\n\nfunc main() { fmt.Println(greet.Hello()) }\n',
  });
  mkdirSync(join(project, 'bin'), { recursive: true });
  await pexec('go', ['build', '-o', join(project, 'bin/app'), '.'], { cwd: join(src, 'app'), env });
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the application as the SBOM component', () => {
  it.runIf(hasGo)(
    'a go build binary: its (devel) main module is an application depending on its modules',
    async () => {
      const r = await strata(['sbom', project, '--format', 'cyclonedx']);
      expect(r.code, r.stderr).toBe(0);
      const bom = JSON.parse(r.stdout) as Cdx;
      const app = bom.components.find((c) => c.name === 'example.com/app')!;
      expect(app).toMatchObject({ type: 'application', version: '(devel)' });
      const root = bom.dependencies.find((d) => d.ref === bom.metadata.component['bom-ref'])!;
      expect(root.dependsOn).toContain(app['bom-ref']);
      const deps = bom.dependencies.find((d) => d.ref === app['bom-ref'])!.dependsOn;
      expect(deps.map((d) => d.replace(/@.*/, ''))).toEqual([
        'pkg:golang/example.com/greet',
        'pkg:golang/stdlib',
      ]);
    },
  );

  it('an npm project: the lockfile project is an application depending on its packages', async () => {
    const r = await strata(['sbom', project, '--format', 'spdx']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      packages: { SPDXID: string; name: string; primaryPackagePurpose?: string }[];
      relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
    };
    const pkg = (name: string) => doc.packages.find((p) => p.name === name)!;
    expect(pkg('shop-web').primaryPackagePurpose).toBe('APPLICATION');
    const dependsOn = doc.relationships
      .filter((x) => x.spdxElementId === pkg('shop-web').SPDXID && x.relationshipType === 'DEPENDS_ON')
      .map((x) => x.relatedSpdxElement);
    expect(dependsOn).toEqual([pkg('ms').SPDXID]);
  });

  it.runIf(hasGo)(
    'is listed in the JSON result with extra.main (the (devel) skip is proven in scan/detect/vuln.test.ts)',
    async () => {
      const db = join(work, 'strata.db');
      expect((await strata(['db', 'import', 'data/demo-osv', '--db', db, '--quiet'])).code).toBe(0);
      const r = await strata(['fs', project, '--db', db, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout) as {
        packages: { name: string; version: string; extra?: { main?: boolean } }[];
      };
      const mains = result.packages.filter((p) => p.extra?.main).map((p) => `${p.name}@${p.version}`);
      expect(mains.sort()).toEqual(['example.com/app@(devel)', 'shop-web@2.3.0']);
    },
  );
});
