import { malformed } from './errors.js';

/** A small XML element tree: local names, child elements and text; attributes are not kept. */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

const MAX_DEPTH = 256;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Enough of XML 1.0 for build manifests (pom.xml): prolog, comments, DOCTYPE, CDATA, processing
 * instructions, quoted attributes, self-closing tags, character and predefined entity references.
 * Mismatched or unclosed tags are errors.
 */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    top.text += decode(text.slice(i, lt < 0 ? text.length : lt));
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) i = skipPast(text, lt, '-->');
    else if (text.startsWith('<![CDATA[', lt)) {
      const end = skipPast(text, lt, ']]>');
      top.text += text.slice(lt + 9, end - 3);
      i = end;
    } else if (text.startsWith('<?', lt)) i = skipPast(text, lt, '?>');
    else if (text.startsWith('<!', lt)) i = skipPast(text, lt, '>');
    else if (text.startsWith('</', lt)) {
      const end = skipPast(text, lt, '>');
      const name = localName(text.slice(lt + 2, end - 1).trim());
      if (stack.length === 1 || top.name !== name) throw malformed(`XML: unexpected </${name}>`);
      stack.pop();
      i = end;
    } else {
      const end = tagEnd(text, lt);
      const body = text.slice(lt + 1, end - 1);
      const selfClosing = body.endsWith('/');
      const name = localName(/^[^\s/>]+/.exec(body)?.[0] ?? '');
      if (!name) throw malformed('XML: a tag without a name');
      const el: XmlElement = { name, children: [], text: '' };
      top.children.push(el);
      if (!selfClosing) {
        if (stack.length > MAX_DEPTH) throw malformed('XML: nesting too deep');
        stack.push(el);
      }
      i = end;
    }
  }
  if (stack.length > 1) throw malformed(`XML: <${stack[stack.length - 1]!.name}> is not closed`);
  const docRoot = root.children[0];
  if (!docRoot) throw malformed('XML: no root element');
  return docRoot;
}

/** The first child element with that name (path of names for nested lookups). */
export function child(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const name of path) cur = cur?.children.find((c) => c.name === name);
  return cur;
}

export function childText(el: XmlElement | undefined, ...path: string[]): string | undefined {
  const t = child(el, ...path)?.text.trim();
  return t ? t : undefined;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function skipPast(text: string, from: number, token: string): number {
  const at = text.indexOf(token, from);
  if (at < 0) throw malformed(`XML: "${token}" expected`);
  return at + token.length;
}

/** The index after a start tag's `>`, skipping `>` inside quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  throw malformed('XML: a tag is not closed');
}

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[ref] ?? all;
  });
}
