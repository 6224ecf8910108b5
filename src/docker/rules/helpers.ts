import { splitReference } from '../../image/index.js';
import type { Dockerfile, Instruction } from '../parse/index.js';
import type { DockerfileHit } from './types.js';

/** Instructions of the final stage (what the image runs). */
export function finalStage(df: Dockerfile): Instruction[] {
  const last = df.stages.length - 1;
  return df.instructions.filter((i) => i.stage === last && last >= 0);
}

/** The shell a RUN executes: its arguments (or exec form) and heredoc bodies. */
export function shellOf(i: Instruction): string {
  const parts = [i.exec ? i.exec.join(' ') : i.args, ...i.heredocs.map((h) => h.body)];
  return parts.join('\n');
}

export function runs(df: Dockerfile): Instruction[] {
  return df.instructions.filter((i) => i.keyword === 'RUN');
}

/** The first source line of `i` matching `re` (so a finding inside a long RUN points at its line). */
export function lineOf(i: Instruction, re: RegExp): number {
  return i.source.find((s) => re.test(s.text))?.line ?? i.line;
}

/** One hit per instruction whose shell matches `re`. */
export function runHits(
  df: Dockerfile,
  re: RegExp,
  message: (m: RegExpExecArray) => string,
): DockerfileHit[] {
  const hits: DockerfileHit[] = [];
  for (const i of runs(df)) {
    const m = re.exec(shellOf(i));
    if (m) hits.push({ instruction: i, line: lineOf(i, re), message: message(m) });
  }
  return hits;
}

/** Shell commands of a RUN split on `&&`, `||`, `;`, `|` and newlines. */
export function commands(shell: string): string[] {
  return shell
    .split(/&&|\|\||;|\||\n/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** `image[:tag][@digest]` parts of a FROM reference. */
export function imageParts(ref: string): { tag?: string; digest?: string } {
  const { tag, digest } = splitReference(ref);
  return { ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** FROM references that name an image (not `scratch`, not an earlier stage, not a build argument). */
export function imageFroms(df: Dockerfile): { instruction: Instruction; image: string }[] {
  const names = new Set<string>();
  const out: { instruction: Instruction; image: string }[] = [];
  for (const i of df.instructions) {
    if (i.keyword !== 'FROM') continue;
    const stage = df.stages[i.stage];
    const image = stage?.base ?? '';
    if (image && image !== 'scratch' && !names.has(image.toLowerCase()) && !image.includes('$')) {
      out.push({ instruction: i, image });
    }
    if (stage?.name) names.add(stage.name);
  }
  return out;
}

export const SECRET_NAME =
  /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential)/i;
