import { Environment } from '@marcbachmann/cel-js';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from 'yaml';
import { readInputText } from '../core/safe-read.js';
import { isSeverity } from '../core/severity.js';
import { CelRuleError } from './errors.js';
import type { CelRuleSpec, CompiledCelRule } from './types.js';

const ID = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** The CEL environment rules run in: `object` is the resource, as in a ValidatingAdmissionPolicy. */
function environment(): Environment {
  return new Environment({ unlistedVariablesAreDyn: false }).registerVariable('object', 'map');
}

interface Located {
  readonly spec: CelRuleSpec;
  /** line and column of the expression's first character, and whether it is a block scalar */
  readonly column: number;
  readonly block: boolean;
}

function field(rule: Record<string, unknown>, key: string): string | undefined {
  const v = rule[key];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function readRules(text: string, file: string): Located[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const at = counter.linePos(first.pos[0]).line;
    throw new CelRuleError('INVALID_RULES', `${file}:${at}: ${first.message.split('\n', 1)[0]}`);
  }
  const list = isMap(doc.contents) ? doc.contents.get('rules', true) : undefined;
  if (!isSeq(list)) throw new CelRuleError('INVALID_RULES', `${file}: expected a top-level "rules:" list`);
  const seen = new Set<string>();
  return list.items.map((node, index) => {
    const at = counter.linePos((node as Node).range?.[0] ?? 0).line;
    const where = `${file}:${at}: rules[${index}]`;
    const rule = (node as Node & { toJSON(): unknown }).toJSON() as Record<string, unknown> | null;
    if (!isMap(node) || !rule) throw new CelRuleError('INVALID_RULES', `${where}: expected a mapping`);
    const id = field(rule, 'id');
    if (!id || !ID.test(id))
      throw new CelRuleError('INVALID_RULES', `${where}: "id" must be a word like CUSTOM-001`);
    if (seen.has(id)) throw new CelRuleError('INVALID_RULES', `${where}: duplicate id ${id}`);
    seen.add(id);
    const severity = (field(rule, 'severity') ?? 'MEDIUM').toUpperCase();
    if (!isSeverity(severity))
      throw new CelRuleError('INVALID_RULES', `${where}: rule ${id}: unknown severity "${severity}"`);
    const expression = field(rule, 'expression');
    if (!expression)
      throw new CelRuleError('INVALID_RULES', `${where}: rule ${id}: "expression" is required`);
    const kinds = rule.kinds ?? (rule.match as Record<string, unknown> | undefined)?.kinds ?? [];
    if (!Array.isArray(kinds) || !kinds.every((k) => typeof k === 'string')) {
      throw new CelRuleError('INVALID_RULES', `${where}: rule ${id}: "kinds" must be a list of kind names`);
    }
    const exprNode = node.get('expression', true);
    const exprStart = counter.linePos(isScalar(exprNode) ? (exprNode.range?.[0] ?? 0) : 0);
    const block =
      isScalar(exprNode) && (exprNode.type === Scalar.BLOCK_LITERAL || exprNode.type === Scalar.BLOCK_FOLDED);
    const description = field(rule, 'description');
    return {
      spec: {
        id,
        severity,
        message: field(rule, 'message') ?? `custom rule ${id} failed`,
        ...(description ? { description } : {}),
        kinds,
        expression,
        file,
        line: block ? exprStart.line + 1 : exprStart.line,
      },
      column: block ? 1 : exprStart.col,
      block,
    };
  });
}

/** `line:col` in the rules file of offset `pos` in a rule's expression. */
function position(located: Located, pos: number): string {
  const before = located.spec.expression.slice(0, pos);
  const newlines = before.split('\n').length - 1;
  const col = pos - (before.lastIndexOf('\n') + 1) + 1;
  const line = located.spec.line + newlines;
  const column = newlines === 0 && !located.block ? located.column + col - 1 : col;
  return `${line}:${column}`;
}

function compile(located: Located, env: Environment): CompiledCelRule {
  const { spec } = located;
  try {
    const program = env.parse(spec.expression);
    const checked = program.check();
    if (!checked.valid && checked.error) throw checked.error;
    return { ...spec, evaluate: (object) => program({ object }) };
  } catch (err) {
    const e = err as {
      summary?: string;
      message?: string;
      node?: { pos?: number };
      range?: { start: number };
    };
    const pos = e.node?.pos ?? e.range?.start ?? 0;
    const summary = (e.summary ?? e.message ?? String(err)).split('\n', 1)[0];
    throw new CelRuleError(
      'COMPILE_FAILED',
      `${spec.file}:${position(located, pos)}: rule ${spec.id}: ${summary}`,
      // the library's message repeats the summary with a multi-line excerpt; keep it one level down
      { cause: new Error(summary, { cause: err }) },
    );
  }
}

/** Reads, validates and compiles a rules file's text; the first bad rule stops with a clear error. */
export function compileCelRules(text: string, file: string): CompiledCelRule[] {
  const env = environment();
  return readRules(text, file).map((r) => compile(r, env));
}

export function loadCelRules(file: string): CompiledCelRule[] {
  let text: string;
  try {
    text = readInputText(file, { kind: 'rules' });
  } catch (err) {
    throw new CelRuleError('READ_FAILED', `--rules: cannot read ${file}`, { cause: err });
  }
  return compileCelRules(text, file);
}
