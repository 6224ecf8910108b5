import { describe, expect, it } from 'vitest';
import { normalizeName } from './names.js';

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
