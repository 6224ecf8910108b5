import { inflateSync } from 'node:zlib';
import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { isElf, readElf, sectionData } from '../shared/elf.js';
import { malformed } from '../shared/errors.js';
import { dict, list, parseJsonObject, str } from '../shared/values.js';

const EXECUTABLE = 0o111;
const MIN_SIZE = 64 * 1024;
/** the dependency list of even huge binaries is far below this */
const MAX_JSON = 8 * 1024 * 1024;

/**
 * Rust binaries built with `cargo auditable`: the `.dep-v0` section holds zlib-compressed JSON
 * `{ packages: [{ name, version, source, kind?, root? }] }`. The root crate is the binary itself.
 */
export const rustBinaryAnalyzer = defineLangAnalyzer({
  name: 'lang/rust-binary',
  version: 1,
  maxFileSize: 256 * 1024 * 1024,
  required: (file) => (file.mode & EXECUTABLE) !== 0 && file.size >= MIN_SIZE,
  parse: ({ content }) => {
    if (!isElf(content)) return [];
    const section = sectionData(content, readElf(content), '.dep-v0');
    if (!section) return [];
    let json: Buffer;
    try {
      json = inflateSync(section, { maxOutputLength: MAX_JSON });
    } catch (err) {
      throw malformed('.dep-v0 section is not valid zlib data', err);
    }
    const out: PackageDraft[] = [];
    for (const raw of list(parseJsonObject(json, 'the .dep-v0 section').packages)) {
      const pkg = dict(raw);
      const name = str(pkg.name);
      const version = str(pkg.version);
      if (!name || !version || pkg.root === true) continue;
      const source = str(pkg.source) ?? 'crates.io';
      const extra = {
        ...(source !== 'crates.io' ? { source } : {}),
        ...(pkg.kind === 'build' ? { kind: 'build' } : {}),
      };
      out.push({ type: 'cargo', name, version, ...(Object.keys(extra).length ? { extra } : {}) });
    }
    return out;
  },
});
