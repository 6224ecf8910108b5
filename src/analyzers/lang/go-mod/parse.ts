import { malformed } from '../shared/errors.js';

export interface GoModRequire {
  readonly path: string;
  readonly version: string;
  readonly indirect: boolean;
}

export interface GoModReplace {
  readonly from: string;
  readonly fromVersion?: string;
  readonly to: string;
  readonly toVersion?: string;
}

export interface GoMod {
  readonly module?: string;
  readonly requires: readonly GoModRequire[];
  readonly replaces: readonly GoModReplace[];
}

/** The go.mod grammar: directives on one line or in `( ... )` blocks, `//` comments, quoted or bare tokens. */
export function parseGoMod(text: string): GoMod {
  let module: string | undefined;
  const requires: GoModRequire[] = [];
  const replaces: GoModReplace[] = [];
  let block: string | undefined;
  let lineNo = 0;
  for (const raw of text.split(/\r?\n/)) {
    lineNo++;
    const comment = raw.indexOf('//');
    const indirect = comment >= 0 && /^\/\/\s*indirect\b/.test(raw.slice(comment));
    const line = (comment >= 0 ? raw.slice(0, comment) : raw).trim();
    if (line === '') continue;
    if (block) {
      if (line === ')') block = undefined;
      else directive(block, tokens(line), indirect);
      continue;
    }
    const [verb, ...rest] = tokens(line);
    if (!verb) continue;
    if (rest.length === 1 && rest[0] === '(') block = verb;
    else directive(verb, rest, indirect);
  }
  if (block) throw malformed(`go.mod: block "${block} (" is not closed`);
  return { module, requires, replaces };

  function directive(verb: string, args: string[], indirect: boolean): void {
    if (verb === 'module') module = args[0];
    else if (verb === 'require') {
      const [path, version] = args;
      if (!path || !version) throw malformed(`go.mod line ${lineNo}: require needs a path and a version`);
      requires.push({ path, version, indirect });
    } else if (verb === 'replace') {
      const arrow = args.indexOf('=>');
      const [from, fromVersion] = args.slice(0, arrow);
      const [to, toVersion] = args.slice(arrow + 1);
      if (arrow < 0 || !from || !to) throw malformed(`go.mod line ${lineNo}: replace needs "old => new"`);
      replaces.push({
        from,
        to,
        ...(fromVersion ? { fromVersion } : {}),
        ...(toVersion ? { toVersion } : {}),
      });
    }
  }
}

function tokens(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}
