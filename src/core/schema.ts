import { z } from 'zod';
import { StrataError } from './errors.js';

/**
 * The one way Strata reads untrusted JSON and YAML (image configs and manifests, Docker config,
 * OSV records, VEX, Kubernetes objects, kubeconfig, policies): a zod schema that is also the type,
 * parsed once at the edge. Failures read `SOURCE: path.to.field: expected X, got Y`.
 */
export { z };

export type InputErrorCode = 'INVALID_INPUT';

/** Input that does not have the shape its format requires; a user error (exit 2). */
export class InputError extends StrataError<InputErrorCode> {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('INVALID_INPUT', message, options);
  }
}

/** `spec.containers[0].image`; the root is `(root)`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(root)';
}

function issueText(issue: z.core.$ZodIssue): string {
  const message = issue.message.replace(/^Invalid input: /, '').replace(/, received /, ', got ');
  return `${fieldPath(issue.path)}: ${message}`;
}

/** The first issue of a failed parse, as one line (the rest are usually consequences). */
export function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return first ? `${issueText(first)}${more}` : 'invalid';
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/** Parses without throwing; `message` is `path: expected X, got Y` (prefix it with the source). */
export function safeParseWith<S extends z.ZodType>(schema: S, value: unknown): Parsed<z.output<S>> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, message: describeIssues(r.error) };
}

/** Parses or throws an InputError naming the source (a file, a URL, `stdin`) and the field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const r = safeParseWith(schema, value);
  if (r.ok) return r.value;
  throw new InputError(`${source}: ${r.message}`);
}

/** JSON.parse with the source named in the error; the value is still untyped (parse it with a schema). */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

export { defined, tolerant, validEntries, validItems } from './schema-tolerant.js';
