import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { baseName } from '../shared/paths.js';
import { parseToml } from '../shared/toml.js';
import { dict, list, str } from '../shared/values.js';

/**
 * `Cargo.lock` (v1-v4): `[[package]]` tables. Packages without `source` are the workspace's own crates
 * and are skipped; git and other registries are kept with their source. Cargo records no dev flag.
 */
export const cargoLockAnalyzer = defineLangAnalyzer({
  name: 'lang/cargo-lock',
  version: 1,
  required: (file) => baseName(file.path) === 'Cargo.lock',
  parse: ({ content }) => {
    const out: PackageDraft[] = [];
    for (const raw of list(parseToml(content, 'Cargo.lock').package)) {
      const pkg = dict(raw);
      const name = str(pkg.name);
      const version = str(pkg.version);
      const source = str(pkg.source);
      if (!name || !version || !source) continue;
      const crates = source.startsWith('registry+https://github.com/rust-lang/crates.io-index');
      out.push({ type: 'cargo', name, version, ...(crates ? {} : { extra: { source } }) });
    }
    return out;
  },
});
