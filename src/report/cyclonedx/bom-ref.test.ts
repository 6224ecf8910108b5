import { describe, expect, it } from 'vitest';
import type { Package } from '../../core/types.js';
import { packageBomRefs } from './bom-ref.js';

const pkg = (purl: string, path = 'a'): Package => ({
  name: 'n',
  version: '1',
  ecosystem: 'npm',
  purl,
  path,
});

describe('packageBomRefs', () => {
  it('uses the purl, numbering later packages that share it', () => {
    expect(
      packageBomRefs([
        pkg('pkg:npm/a@1'),
        pkg('pkg:npm/a@1', 'b'),
        pkg('pkg:npm/b@1'),
        pkg('pkg:npm/a@1', 'c'),
      ]),
    ).toEqual(['pkg:npm/a@1', 'pkg:npm/a@1|2', 'pkg:npm/b@1', 'pkg:npm/a@1|3']);
  });

  it('makes a ref from ecosystem, name and version when a package has no purl', () => {
    expect(packageBomRefs([pkg(''), pkg('')])).toEqual([
      'strata:package:npm/n@1',
      'strata:package:npm/n@1|2',
    ]);
  });
});
