import { parse } from 'smol-toml';
import { malformed } from './errors.js';
import type { Dict } from './values.js';

export function parseToml(content: Buffer, what: string): Dict {
  try {
    return parse(content.toString('utf8')) as Dict;
  } catch (err) {
    throw malformed(`invalid TOML in ${what}`, err);
  }
}
