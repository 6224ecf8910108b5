import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { baseName } from '../shared/paths.js';
import { parseToml } from '../shared/toml.js';
import { dict, list, str } from '../shared/values.js';

/**
 * `Cargo.lock` (v1-v4): `[[package]]` tables; git and other registries are kept with their source.
 * Packages without `source` are the project's own crates: a single one is the application
 * (`extra.main`, its dependencies under it in SBOMs); the members of a workspace are left out, since
 * the lockfile's packages cannot be told apart by member here. Cargo records no dev flag.
 */
export const cargoLockAnalyzer = defineLangAnalyzer({
  name: 'lang/cargo-lock',
  // 2: a single local crate is listed as the application
  version: 2,
  wants: { names: ['Cargo.lock'] },
  required: (file) => baseName(file.path) === 'Cargo.lock',
  parse: ({ content }) => {
    const out: PackageDraft[] = [];
    const local: PackageDraft[] = [];
    for (const raw of list(parseToml(content, 'Cargo.lock').package)) {
      const pkg = dict(raw);
      const name = str(pkg.name);
      const version = str(pkg.version);
      const source = str(pkg.source);
      if (!name || !version) continue;
      if (!source) {
        local.push({ type: 'cargo', name, version, extra: { main: true } });
        continue;
      }
      const crates = source.startsWith('registry+https://github.com/rust-lang/crates.io-index');
      out.push({ type: 'cargo', name, version, ...(crates ? {} : { extra: { source } }) });
    }
    return local.length === 1 ? [...local, ...out] : out;
  },
});
