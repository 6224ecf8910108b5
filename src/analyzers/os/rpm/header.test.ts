import { describe, expect, it } from 'vitest';
import { assemble, buildHeader, int32, packageHeader, str } from './fixtures/header-builder.js';
import { RpmHeader, RpmTag } from './header.js';
import { packageFromHeader } from './package.js';

const NEVRA = {
  NAME: str('bash'),
  VERSION: str('5.1.8'),
  RELEASE: str('6.el9'),
  ARCH: str('x86_64'),
  SOURCERPM: str('bash-5.1.8-6.el9.src.rpm'),
};

function rejects(blob: Buffer): string {
  try {
    RpmHeader.parse(blob).string(RpmTag.NAME);
  } catch (err) {
    expect(err).toMatchObject({ code: 'RPM_HEADER_INVALID' });
    return (err as Error).message;
  }
  throw new Error('the header was accepted');
}

describe('rpm header parser', () => {
  describe('when the header is well formed', () => {
    it('reads strings and INT32 values from the region', () => {
      const header = RpmHeader.parse(packageHeader({ ...NEVRA, EPOCH: int32(2) }));
      expect(header.string(RpmTag.NAME)).toBe('bash');
      expect(header.string(RpmTag.RELEASE)).toBe('6.el9');
      expect(header.int32(RpmTag.EPOCH)).toBe(2);
      expect(header.string(RpmTag.VENDOR)).toBeUndefined();
    });

    it('reads the untranslated text of an I18NSTRING', () => {
      const header = RpmHeader.parse(packageHeader({ ...NEVRA, LICENSE: { type: 'i18n', value: 'GPLv3+' } }));
      expect(header.string(RpmTag.LICENSE)).toBe('GPLv3+');
    });

    it('lets a dribble entry replace the region entry of the same tag', () => {
      const blob = buildHeader({
        region: new Map([[RpmTag.NAME, str('old')]]),
        dribble: new Map([[RpmTag.NAME, str('new')]]),
      });
      expect(RpmHeader.parse(blob).string(RpmTag.NAME)).toBe('new');
    });

    it('reads a legacy header that has no region', () => {
      const blob = buildHeader({ legacy: new Map([[RpmTag.NAME, str('legacy')]]) });
      expect(RpmHeader.parse(blob).string(RpmTag.NAME)).toBe('legacy');
    });
  });

  describe('when the header is malformed', () => {
    const good = packageHeader(NEVRA);
    const withIndex = (i: number, field: number, value: number) => {
      const copy = Buffer.from(good);
      copy.writeInt32BE(value, 8 + 16 * i + 4 * field);
      return copy;
    };

    it.each([
      ['a blob shorter than the preamble', Buffer.alloc(4), 'has no preamble'],
      ['zero index entries', Buffer.alloc(8), 'index entry count 0 is out of range'],
      ['a huge index count', Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]), 'out of range'],
      ['a data length past the blob', good.subarray(0, good.length - 1), 'need'],
      ['a data length over 256 MiB', Buffer.from([0, 0, 0, 1, 0x20, 0, 0, 0]), 'exceeds'],
      ['an unknown type', withIndex(1, 1, 42), 'unknown type 42'],
      ['an offset past the data store', withIndex(1, 2, 1_000_000), 'outside the'],
      ['a negative offset', withIndex(1, 2, -8), 'outside the'],
      ['a region tag with the wrong count', withIndex(0, 3, 4), 'region tag 63 is malformed'],
    ])('rejects %s', (_case, blob, message) => {
      expect(rejects(blob)).toContain(message);
    });

    it('rejects a misaligned INT32', () => {
      const blob = assemble([{ tag: RpmTag.EPOCH, type: 4, offset: 1, count: 1 }], Buffer.alloc(8));
      expect(rejects(blob)).toContain('misaligned');
    });

    it('rejects an INT32 that runs past the data store', () => {
      const blob = assemble(
        [
          { tag: RpmTag.NAME, type: 6, offset: 0, count: 1 },
          { tag: RpmTag.EPOCH, type: 4, offset: 4, count: 1 },
        ],
        Buffer.from('abc\0\0\0', 'latin1'),
      );
      expect(() => RpmHeader.parse(blob).int32(RpmTag.EPOCH)).toThrow(/EPOCH \(1003\) value runs past/);
    });

    it('rejects a string without a terminating NUL', () => {
      const blob = assemble([{ tag: RpmTag.NAME, type: 6, offset: 0, count: 1 }], Buffer.from('bash'));
      expect(rejects(blob)).toContain('NAME (1000) string at offset 0 is not terminated');
    });

    it('rejects a string tag stored as INT32', () => {
      const blob = assemble([{ tag: RpmTag.NAME, type: 4, offset: 0, count: 1 }], Buffer.alloc(4));
      expect(rejects(blob)).toContain('NAME (1000) has type 4, expected a string');
    });

    it('rejects a region trailer whose size does not fit the index', () => {
      const blob = Buffer.from(good);
      const trailerAt = 8 + 16 * blob.readUInt32BE(0) + blob.readInt32BE(8 + 8);
      blob.writeInt32BE(-16 * 1000, trailerAt + 8);
      expect(rejects(blob)).toContain('region trailer size -16000');
    });
  });
});

describe('package from a header', () => {
  it('builds the draft with epoch, source, license and vendor', () => {
    const header = RpmHeader.parse(
      packageHeader({ ...NEVRA, EPOCH: int32(1), LICENSE: str('GPLv3+'), VENDOR: str('Red Hat, Inc.') }),
    );
    expect(packageFromHeader(header, 'var/lib/rpm/rpmdb.sqlite')).toEqual({
      type: 'rpm',
      name: 'bash',
      version: '1:5.1.8-6.el9',
      epoch: 1,
      arch: 'x86_64',
      source: { name: 'bash', version: '1:5.1.8-6.el9' },
      licenses: ['GPLv3+'],
      vendor: 'Red Hat, Inc.',
      path: 'var/lib/rpm/rpmdb.sqlite',
      extra: { version: '5.1.8', release: '6.el9', sourceRpm: 'bash-5.1.8-6.el9.src.rpm' },
    });
  });

  it('keeps an explicit epoch 0 as a field but not in the version', () => {
    const pkg = packageFromHeader(RpmHeader.parse(packageHeader({ ...NEVRA, EPOCH: int32(0) })), 'p');
    expect(pkg).toMatchObject({ version: '5.1.8-6.el9', epoch: 0 });
  });

  it('treats "(none)" and empty text as absent', () => {
    const pkg = packageFromHeader(
      RpmHeader.parse(
        packageHeader({ ...NEVRA, LICENSE: str('(none)'), VENDOR: str(''), SOURCERPM: str('(none)') }),
      ),
      'p',
    );
    expect(pkg).not.toHaveProperty('licenses');
    expect(pkg).not.toHaveProperty('vendor');
    expect(pkg).not.toHaveProperty('source');
  });

  it('skips the gpg-pubkey pseudo packages', () => {
    const header = RpmHeader.parse(
      packageHeader({ NAME: str('gpg-pubkey'), VERSION: str('fd431d51'), RELEASE: str('4ae0493b') }),
    );
    expect(packageFromHeader(header, 'p')).toBeUndefined();
  });

  it.each(['NAME', 'VERSION', 'RELEASE'] as const)('rejects a header without %s', (tag) => {
    const fields: Record<string, ReturnType<typeof str>> = { ...NEVRA };
    delete fields[tag];
    expect(() => packageFromHeader(RpmHeader.parse(packageHeader(fields)), 'p')).toThrow(`no ${tag} tag`);
  });
});
