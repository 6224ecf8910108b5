/** The parsed form of a Falco condition, before macros and lists are resolved. */
export type BinaryOp =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'contains'
  | 'icontains'
  | 'bcontains'
  | 'startswith'
  | 'bstartswith'
  | 'endswith'
  | 'glob'
  | 'iglob';
export type ListOp = 'in' | 'intersects' | 'pmatch';

/** A value on the right of an operator: a literal, or (inside a list) the name of a list to expand. */
export type ListItem = { readonly kind: 'literal'; readonly value: string; readonly bare: boolean };

export interface FieldRef {
  readonly name: string;
  readonly arg?: string;
}

export type Node =
  | { readonly kind: 'and'; readonly items: readonly Node[] }
  | { readonly kind: 'or'; readonly items: readonly Node[] }
  | { readonly kind: 'not'; readonly item: Node }
  | { readonly kind: 'macro'; readonly name: string }
  | { readonly kind: 'exists'; readonly field: FieldRef }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly field: FieldRef; readonly value: string }
  /** `field op val(other.field)`: compares two fields of the same event */
  | { readonly kind: 'fields'; readonly op: BinaryOp; readonly field: FieldRef; readonly other: FieldRef }
  | {
      readonly kind: 'list';
      readonly op: ListOp;
      readonly field: FieldRef;
      readonly items: readonly ListItem[];
    };

export const BINARY_OPS: ReadonlySet<string> = new Set([
  '=',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'glob',
  'iglob',
]);
export const LIST_OPS: ReadonlySet<string> = new Set(['in', 'intersects', 'pmatch']);
