import { pack } from 'tar-stream';

/** One entry for `makeTar`: a file (string/bytes), a directory, or a link. */
export type TarSpec =
  | { readonly name: string; readonly content: string | Uint8Array }
  | { readonly name: string; readonly type: 'directory' }
  | { readonly name: string; readonly type: 'symlink' | 'link'; readonly linkname: string };

/** Builds an uncompressed tar in memory with tar-stream (tests only). */
export async function makeTar(entries: readonly TarSpec[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const e of entries) {
    if ('content' in e) {
      p.entry(
        { name: e.name, mtime: new Date(0) },
        typeof e.content === 'string' ? Buffer.from(e.content) : e.content,
      );
    } else if (e.type === 'directory') {
      p.entry({ name: e.name, type: 'directory', mtime: new Date(0) });
    } else {
      p.entry({ name: e.name, type: e.type, linkname: e.linkname, mtime: new Date(0) });
    }
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}
