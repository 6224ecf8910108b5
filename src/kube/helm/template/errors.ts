/** Where in a template a node sits: the template's name and a 1-based line and column. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

/**
 * A parse or execution error of a Go template, formatted as Go's text/template does
 * (`template: NAME:LINE:COL: message`), so Helm users recognise it. Always one line.
 */
export class TemplateError extends Error {
  constructor(
    readonly kind: 'parse' | 'exec',
    readonly template: string,
    readonly pos: Pos,
    readonly detail: string,
  ) {
    super(`template: ${template}:${pos.line}:${pos.col}: ${detail.replace(/\s*\n\s*/g, ' ')}`);
    this.name = 'TemplateError';
  }
}

/** Thrown by a function; the executor turns it into a `TemplateError` at the calling node. */
export class FuncError extends Error {
  override name = 'FuncError';
}
