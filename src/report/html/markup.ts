/**
 * HTML built only through the `html` tagged template: every interpolated value is escaped unless
 * it is markup this module already built (`Raw`), so a package name or evidence string such as
 * `</script><script>alert(1)</script>` is always text, never markup.
 */
export class Raw {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text as HTML text or attribute value: the five special characters as entities, and the control
 * characters HTML does not allow (C0 but tab/LF/CR, DEL, C1) and lone surrogates as U+FFFD.
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

type Value = Raw | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return (v as readonly Value[]).map(render).join('');
  return escapeHtml(String(v));
}

/** A fragment of markup: the literal parts as written, every value escaped (arrays joined, nullish empty). */
export function html(strings: TemplateStringsArray, ...values: readonly Value[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` as \u escapes (so no
 * `</script>` or `<!--` can end or change the element), and U+2028/U+2029 escaped too (line
 * terminators to older JavaScript parsers). JSON.parse of the element's text gives the value back.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
