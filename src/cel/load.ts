import { Environment } from '@marcbachmann/cel-js';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from 'yaml';
import { readInputText } from '../core/safe-read.js';
import { safeParseWith, tolerant, z } from '../core/schema.js';
import type { Severity } from '../core/severity.js';
import { isSeverity } from '../core/severity.js';
import { budgeted, CEL_LIMITS, costProblem } from './cost.js';
import { CelRuleError } from './errors.js';
import type { CelRuleSpec, CompiledCelRule } from './types.js';

const ID = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** The CEL environment rules run in: `object` is the resource, as in a ValidatingAdmissionPolicy. */
function environment(): Environment {
  return new Environment({ unlistedVariablesAreDyn: false, limits: CEL_LIMITS }).registerVariable(
    'object',
    'map',
  );
}

interface Located {
  readonly spec: CelRuleSpec;
  /** line and column of the expression's first character, and whether it is a block scalar */
  readonly column: number;
  readonly block: boolean;
}

/** A text field: anything but a non-blank string reads as absent. */
const Text = tolerant(z.string().refine((s) => s.trim() !== ''));

const RuleSchema = z
  .object({
    id: Text.pipe(
      z
        .string({ error: 'expected an id like CUSTOM-001' })
        .regex(ID, { error: 'expected an id like CUSTOM-001' }),
    ),
    severity: Text.transform((s) => (s ?? 'MEDIUM').toUpperCase()).pipe(
      z.custom<Severity>((v) => typeof v === 'string' && isSeverity(v), {
        error: (i) => `unknown severity ${JSON.stringify(i.input)}`,
      }),
    ),
    expression: Text.pipe(z.string({ error: 'is required' })),
    message: Text,
    description: Text,
    kinds: z.unknown().optional(),
    // `match.kinds` (as in a ValidatingAdmissionPolicy) when `kinds` is absent; any other `match` is ignored
    match: tolerant(z.object({ kinds: z.unknown().optional() })),
  })
  .transform((r, ctx) => {
    const kinds = z.array(z.string()).safeParse(r.kinds ?? r.match?.kinds ?? []);
    if (!kinds.success) {
      ctx.issues.push({
        code: 'custom',
        message: 'expected a list of kind names',
        path: ['kinds'],
        input: r.kinds,
      });
      return z.NEVER;
    }
    return { ...r, kinds: kinds.data };
  });

/** `WHERE: [rule ID: ]path: expected X, got Y`, naming the rule once its id is known. */
function ruleError(where: string, rule: unknown, message: string): CelRuleError {
  const id = Text.safeParse((rule as { id?: unknown } | null)?.id).data;
  const named = id !== undefined && ID.test(id) && !message.startsWith('id:') ? `rule ${id}: ` : '';
  return new CelRuleError('INVALID_RULES', `${where}: ${named}${message.replace(/^\(root\): /, '')}`);
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
    const rule = (node as Node & { toJSON(): unknown }).toJSON();
    const parsed = safeParseWith(RuleSchema, rule);
    if (!parsed.ok || !isMap(node))
      throw ruleError(where, rule, parsed.ok ? 'expected a mapping' : parsed.message);
    const { id, severity, expression, message, description, kinds } = parsed.value;
    if (seen.has(id)) throw new CelRuleError('INVALID_RULES', `${where}: duplicate id ${id}`);
    seen.add(id);
    const exprNode = node.get('expression', true);
    const exprStart = counter.linePos(isScalar(exprNode) ? (exprNode.range?.[0] ?? 0) : 0);
    const block =
      isScalar(exprNode) && (exprNode.type === Scalar.BLOCK_LITERAL || exprNode.type === Scalar.BLOCK_FOLDED);
    return {
      spec: {
        id,
        severity,
        message: message ?? `custom rule ${id} failed`,
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
    const costly = costProblem(program.ast);
    if (costly) throw new Error(costly);
    return { ...spec, evaluate: (object) => program({ object: budgeted(object) }) };
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
