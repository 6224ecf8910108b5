/**
 * `.helmignore`: one pattern a line (`#` comments, `!` negation not supported and ignored),
 * matched against a file's path and every parent directory's path, Go `filepath.Match` style;
 * a trailing `/` matches directories only.
 */
export function ignoreMatcher(text: string): (rel: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'))
    .map((l) => ({
      dirOnly: l.endsWith('/'),
      re: glob(l.replace(/\/$/, '').replace(/^\//, '')),
      hasSlash: l.replace(/\/$/, '').includes('/'),
    }));
  return (rel) => {
    const parts = rel.split('/');
    return rules.some((r) =>
      parts.some((_p, i) => {
        const isDir = i < parts.length - 1;
        if (r.dirOnly && !isDir) return false;
        const candidate = r.hasSlash ? parts.slice(0, i + 1).join('/') : parts[i]!;
        return r.re.test(candidate);
      }),
    );
  };
}

function glob(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${p
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
