import type { Pos } from './errors.js';

/** An operand of a command, as text/template's parse tree has them. */
export type Arg =
  | { readonly kind: 'field'; readonly pos: Pos; readonly names: readonly string[] }
  | { readonly kind: 'var'; readonly pos: Pos; readonly name: string; readonly names: readonly string[] }
  | { readonly kind: 'chain'; readonly pos: Pos; readonly node: Arg; readonly names: readonly string[] }
  | { readonly kind: 'ident'; readonly pos: Pos; readonly name: string }
  | { readonly kind: 'dot'; readonly pos: Pos }
  | { readonly kind: 'nil'; readonly pos: Pos }
  | { readonly kind: 'bool'; readonly pos: Pos; readonly value: boolean }
  | { readonly kind: 'number'; readonly pos: Pos; readonly text: string; readonly value: bigint | number }
  | { readonly kind: 'string'; readonly pos: Pos; readonly value: string }
  | { readonly kind: 'pipe'; readonly pos: Pos; readonly pipe: Pipe };

export interface Command {
  readonly pos: Pos;
  readonly args: readonly Arg[];
}

export interface Pipe {
  readonly pos: Pos;
  /** variables declared (`$x :=`) or assigned (`$x =`) */
  readonly decl: readonly string[];
  readonly isAssign: boolean;
  readonly cmds: readonly Command[];
}

export type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pos: Pos; readonly pipe: Pipe }
  | {
      readonly kind: 'if' | 'with' | 'range';
      readonly pos: Pos;
      readonly pipe: Pipe;
      readonly list: readonly Node[];
      readonly elseList: readonly Node[] | null;
    }
  | { readonly kind: 'template'; readonly pos: Pos; readonly name: string; readonly pipe: Pipe | null }
  | { readonly kind: 'break' | 'continue'; readonly pos: Pos };

/** A parsed template file: its body and the `define`/`block` templates it declares. */
export interface ParsedTemplate {
  readonly name: string;
  readonly root: readonly Node[];
  readonly defines: ReadonlyMap<string, readonly Node[]>;
}
