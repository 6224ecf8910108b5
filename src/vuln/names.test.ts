import { describe, expect, it } from 'vitest';
import type { OSInfo } from '../core/types.js';
import { normalizeName, osEcosystem } from './names.js';

describe('osEcosystem', () => {
  it.each([
    [{ family: 'debian', version: '12.5' }, 'Debian:12'],
    [{ family: 'debian', version: '11' }, 'Debian:11'],
    [{ family: 'ubuntu', version: '22.04' }, 'Ubuntu:22.04:LTS'],
    [{ family: 'ubuntu', version: '23.10' }, 'Ubuntu:23.10'],
    [{ family: 'alpine', version: '3.20.1' }, 'Alpine:v3.20'],
    [{ family: 'rocky', version: '9.3' }, 'Rocky Linux:9'],
    [{ family: 'debian', version: 'trixie/sid' }, undefined],
    [{ family: 'unknown', version: '1' }, undefined],
  ] as [OSInfo, string | undefined][])('%o -> %s', (os, eco) => expect(osEcosystem(os)).toBe(eco));
});

describe('normalizeName', () => {
  it.each([
    ['PyPI', 'Jinja2', 'jinja2'],
    ['PyPI', 'zope.interface', 'zope-interface'],
    ['PyPI', 'ruamel_yaml', 'ruamel-yaml'],
    ['NuGet', 'Newtonsoft.Json', 'newtonsoft.json'],
    ['npm', 'React', 'React'],
    ['Go', 'github.com/Foo/bar', 'github.com/Foo/bar'],
  ])('%s %s -> %s', (eco, name, out) => expect(normalizeName(eco, name)).toBe(out));
});
