import { BUILTINS } from '../template/builtins.js';
import type { GoFunc } from '../template/value.js';
import { DICT_FUNCS } from './dicts.js';
import { LIST_FUNCS } from './lists.js';
import { MATH_FUNCS } from './math.js';
import { MISC_FUNCS } from './misc.js';
import { REGEX_FUNCS } from './regex.js';
import { SEMVER_FUNCS } from './semver.js';
import { SERIAL_FUNCS } from './serial.js';
import { STRING_FUNCS } from './strings.js';

/**
 * The functions a Helm template sees: text/template's built-ins, the Sprig functions charts use
 * (Helm drops `env` and `expandenv`, and so do we) and Helm's own serialisers. `include`, `tpl`,
 * `required` and `lookup` are bound per render by the engine.
 */
export function baseFuncs(): Map<string, GoFunc> {
  return new Map<string, GoFunc>([
    ...BUILTINS,
    ...STRING_FUNCS,
    ...LIST_FUNCS,
    ...DICT_FUNCS,
    ...MATH_FUNCS,
    ...REGEX_FUNCS,
    ...SEMVER_FUNCS,
    ...MISC_FUNCS,
    ...SERIAL_FUNCS,
  ]);
}
