export type { Node, ParsedTemplate } from './ast.js';
export { FuncError, type Pos, TemplateError } from './errors.js';
export { type Defined, type ExecLimits, Executor, type StepBudget } from './exec.js';
export { goQuote, sprintf } from './fmt.js';
export { parseTemplate } from './parser.js';
export {
  deepCopy,
  formatValue,
  type GoFunc,
  type GoMap,
  GoObject,
  type GoValue,
  isMap,
  printValue,
  truth,
} from './value.js';
