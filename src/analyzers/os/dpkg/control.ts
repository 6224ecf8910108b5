/**
 * Parses deb822 control paragraphs (dpkg's `status`, distroless `status.d/*`): `Field: value`
 * lines, continuation lines starting with a space or tab, paragraphs separated by blank lines.
 * Returns each paragraph with the line it starts on.
 */
export interface Paragraph {
  readonly line: number;
  readonly fields: ReadonlyMap<string, string>;
}

export function parseControl(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let fields = new Map<string, string>();
  let start = 0;
  let last: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') {
      if (fields.size > 0) out.push({ line: start, fields });
      fields = new Map();
      last = undefined;
      continue;
    }
    if (fields.size === 0) start = i + 1;
    if ((line[0] === ' ' || line[0] === '\t') && last !== undefined) {
      fields.set(last, `${fields.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    fields.set(last, line.slice(colon + 1).trim());
  }
  if (fields.size > 0) out.push({ line: start, fields });
  return out;
}
