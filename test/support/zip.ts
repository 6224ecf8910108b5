import { createWriteStream } from 'node:fs';
import yazl from 'yazl';

/** An entry's bytes: text, a buffer, or `{ file }` to copy a file from disk. */
export type ZipContent = string | Buffer | { readonly file: string };

/** Writes a real zip (yazl, deflated) with these entries, in order; resolves once it is on disk. */
export function writeZip(path: string, entries: Readonly<Record<string, ZipContent>>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(entries)) {
      if (typeof content === 'string') zip.addBuffer(Buffer.from(content), name);
      else if (Buffer.isBuffer(content)) zip.addBuffer(content, name);
      else zip.addFile(content.file, name);
    }
    zip.end();
    const out = zip.outputStream.pipe(createWriteStream(path));
    out.on('close', () => resolve());
    out.on('error', reject);
  });
}
