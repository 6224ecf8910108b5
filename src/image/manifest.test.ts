import { describe, expect, it } from 'vitest';
import { createdByPerLayer, diffIdsOf, parseImageConfig } from './config.js';
import { parseManifest } from './manifest.js';
import { layerCompression, MEDIA_TYPES } from './media-types.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const bytes = (doc: unknown) => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc));
const desc = (mediaType: string, c = 'a', extra = {}) => ({ mediaType, digest: d(c), size: 10, ...extra });

describe('parseManifest', () => {
  it('reads an OCI image manifest', () => {
    const m = parseManifest(
      bytes({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: desc(MEDIA_TYPES.ociConfig),
        layers: [desc(MEDIA_TYPES.ociLayerGzip, 'b')],
      }),
      'img',
    );
    expect(m).toMatchObject({ kind: 'manifest', config: { digest: d('a') }, layers: [{ digest: d('b') }] });
  });

  it('reads a Docker manifest list with platforms', () => {
    const m = parseManifest(
      bytes({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.dockerManifestList,
        manifests: [
          desc(MEDIA_TYPES.dockerManifest, 'a', {
            platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
          }),
        ],
      }),
      'img',
    );
    expect(m).toMatchObject({
      kind: 'index',
      manifests: [{ platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }],
    });
  });

  it.each([
    ['manifests', { schemaVersion: 2, manifests: [] }, 'index'],
    ['config and layers', { schemaVersion: 2, config: desc(MEDIA_TYPES.ociConfig), layers: [] }, 'manifest'],
  ])('tells the kind from the shape when mediaType is omitted (%s)', (_n, doc, kind) => {
    expect(parseManifest(bytes(doc), 'img').kind).toBe(kind);
  });

  it('uses the transport media type when the document has none', () => {
    const m = parseManifest(
      bytes({ schemaVersion: 2, manifests: [] }),
      'img',
      MEDIA_TYPES.dockerManifestList,
    );
    expect(m.mediaType).toBe(MEDIA_TYPES.dockerManifestList);
  });

  it.each([
    ['not JSON', 'this is not json', 'INVALID_MANIFEST', 'not valid JSON'],
    ['a JSON array', '[]', 'INVALID_MANIFEST', 'img: (root): expected object, got array'],
    ['schema 1', { schemaVersion: 1, fsLayers: [] }, 'UNSUPPORTED_MEDIA_TYPE', 'schema 1'],
    [
      'an unknown media type',
      { schemaVersion: 2, mediaType: 'application/x-helm' },
      'UNSUPPORTED_MEDIA_TYPE',
      'x-helm',
    ],
    ['schemaVersion 3', { schemaVersion: 3, manifests: [] }, 'INVALID_MANIFEST', 'schemaVersion'],
    ['neither shape', { schemaVersion: 2 }, 'INVALID_MANIFEST', 'neither'],
    [
      'an index entry without a media type',
      { schemaVersion: 2, manifests: [{ digest: d('a'), size: 1 }] },
      'INVALID_MANIFEST',
      'img: manifests[0].mediaType: expected string, got undefined',
    ],
    [
      'a bad descriptor digest',
      { schemaVersion: 2, config: { mediaType: 'x', digest: 'sha256:zz', size: 1 }, layers: [] },
      'INVALID_MANIFEST',
      'img: config.digest: expected a digest, got "sha256:zz"',
    ],
    [
      'a negative size',
      { schemaVersion: 2, config: desc(MEDIA_TYPES.ociConfig), layers: [{ ...desc('x'), size: -1 }] },
      'INVALID_MANIFEST',
      'img: layers[0].size: expected a non-negative integer',
    ],
  ])('rejects %s', (_n, doc, code, message) => {
    expect(() => parseManifest(bytes(doc), 'img')).toThrow(expect.objectContaining({ code }));
    expect(() => parseManifest(bytes(doc), 'img')).toThrow(message);
  });

  it('refuses more than 4 MiB before parsing', () => {
    expect(() => parseManifest(Buffer.alloc(4 * 1024 * 1024 + 1), 'img')).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE' }),
    );
  });
});

describe('layer media types', () => {
  it.each([
    [MEDIA_TYPES.dockerLayer, 'gzip'],
    [MEDIA_TYPES.dockerForeignLayer, 'gzip'],
    [MEDIA_TYPES.ociLayer, 'none'],
    [MEDIA_TYPES.ociLayerGzip, 'gzip'],
    [MEDIA_TYPES.ociLayerZstd, 'zstd'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'gzip'],
  ])('%s is a %s layer', (mediaType, compression) => {
    expect(layerCompression(mediaType, 'img')).toBe(compression);
  });
  it.each(['application/vnd.cncf.helm.chart.content.v1.tar+gzip', 'application/octet-stream'])(
    '%s is UNSUPPORTED_MEDIA_TYPE',
    (mediaType) => {
      expect(() => layerCompression(mediaType, 'img')).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }),
      );
    },
  );
});

describe('image config', () => {
  const config = parseImageConfig(
    bytes({
      architecture: 'amd64',
      os: 'linux',
      config: { User: 'app', Env: ['A=1', 2], Cmd: null, Labels: { a: 'b', n: 1 } },
      rootfs: { type: 'layers', diff_ids: [d('1'), d('2'), d('3')] },
      history: [
        { created_by: 'ADD rootfs.tar /' },
        { created_by: 'ENV A=1', empty_layer: true },
        { created_by: 'RUN apt-get install x' },
        { created_by: 'CMD ["sh"]', empty_layer: true },
        { created_by: 'COPY app /app' },
      ],
    }),
    'img',
  );

  it('keeps the fields Strata reads, typed', () => {
    expect(config.config).toEqual({ User: 'app', Env: ['A=1'], Cmd: null, Labels: { a: 'b' } });
    expect(diffIdsOf(config, 3, 'img')).toEqual([d('1'), d('2'), d('3')]);
  });

  it('aligns history with layers, skipping empty_layer entries', () => {
    expect(createdByPerLayer(config, 3)).toEqual([
      'ADD rootfs.tar /',
      'RUN apt-get install x',
      'COPY app /app',
    ]);
  });

  it('leaves createdBy empty for layers the history does not cover', () => {
    expect(createdByPerLayer({ history: [{ created_by: 'only one' }] }, 2)).toEqual(['only one', undefined]);
  });

  it('fails when diff_ids and layers disagree in count', () => {
    expect(() => diffIdsOf(config, 2, 'img')).toThrow('image has 2 layers but its config lists 3 diff_ids');
  });

  it.each([
    ['not JSON', '{'],
    ['a bad diff_id', { rootfs: { diff_ids: ['nope'] } }],
    ['diff_ids missing', { rootfs: { type: 'layers' } }],
  ])('rejects %s as INVALID_CONFIG', (_n, doc) => {
    expect(() => parseImageConfig(bytes(doc), 'img')).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });

  it.each([
    [{ rootfs: { diff_ids: [d('1'), 'nope'] } }, 'img: rootfs.diff_ids[1]: expected a digest, got "nope"'],
    [{ rootfs: { type: 'layers' } }, 'img: rootfs.diff_ids: expected array, got undefined'],
    ['[1]', 'img: (root): expected object, got array'],
  ])('names the field at fault (%j)', (doc, message) => {
    expect(() => parseImageConfig(bytes(doc), 'img')).toThrow(message);
  });

  it('drops fields of the wrong shape instead of failing (writers disagree)', () => {
    const c = parseImageConfig(
      bytes({ os: 7, config: { User: ['x'], Env: 'A=1', Labels: [] }, history: ['x', { created_by: 1 }] }),
      'img',
    );
    expect(c).toEqual({ config: {}, history: [{}] });
  });
});
