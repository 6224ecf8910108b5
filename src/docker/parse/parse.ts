import { readDirectives } from './directives.js';
import type { Dockerfile, Heredoc, Instruction, Stage } from './types.js';

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

interface Logical {
  text: string;
  line: number;
  end: number;
}

const isBlank = (s: string) => s.trim() === '';
const isComment = (s: string) => s.trimStart().startsWith('#');

/** Joins continuation lines (escape at end of line, trailing blanks allowed); comment lines inside are dropped. */
function readLogical(lines: readonly string[], start: number, escapeChar: string): Logical {
  const continued = new RegExp(`${escapeChar === '`' ? '`' : '\\\\'}[ \\t]*$`);
  let text = '';
  let last = start;
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (i > start && (isComment(raw) || isBlank(raw))) continue;
    last = i;
    const m = continued.exec(raw);
    if (!m) {
      text += raw;
      break;
    }
    text += raw.slice(0, m.index);
  }
  return { text, line: start + 1, end: last + 1 };
}

function readHeredocs(
  args: string,
  lines: readonly string[],
  from: number,
): { heredocs: Heredoc[]; next: number } {
  const heredocs: Heredoc[] = [];
  let i = from;
  for (const m of args.matchAll(HEREDOC)) {
    const strip = m[1] === '-';
    const name = m[3] ?? '';
    const body: string[] = [];
    const first = i + 1;
    for (; i < lines.length; i++) {
      const raw = lines[i] ?? '';
      const text = strip ? raw.replace(/^\t+/, '') : raw;
      if (text === name) {
        i++;
        break;
      }
      body.push(text);
    }
    heredocs.push({ name, body: body.join('\n'), line: first });
  }
  return { heredocs, next: i };
}

function splitFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let args = rest;
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?\s*/.exec(args);
    if (!m?.[1]) break;
    const value = m[2] ?? '';
    flags[m[1]] = flags[m[1]] === undefined ? value : `${flags[m[1]]} ${value}`;
    args = args.slice(m[0].length);
  }
  return { flags, args };
}

function execForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}

function stageOf(args: string, index: number, line: number): Stage {
  const parts = args.trim().split(/\s+/);
  const as = parts.findIndex((p) => p.toLowerCase() === 'as');
  const name = as >= 1 ? parts[as + 1]?.toLowerCase() : undefined;
  return { index, base: parts[0] ?? '', line, ...(name ? { name } : {}) };
}

/**
 * Parses a Dockerfile keeping every line: parser directives, continuation lines, comments inside
 * continuations, heredocs (`<<EOF`, `<<-EOF`, quoted names, several per instruction) and stages.
 * It never throws: text it cannot read as an instruction is kept as the instruction it looks like.
 */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { directives, next } = readDirectives(lines);
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  let i = next;
  while (i < lines.length) {
    const raw = lines[i] ?? '';
    if (isBlank(raw) || isComment(raw)) {
      i++;
      continue;
    }
    const logical = readLogical(lines, i, directives.escape);
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(logical.text);
    const keyword = (m?.[1] ?? '').toUpperCase();
    const { flags, args } = splitFlags((m?.[2] ?? '').trim());
    let end = logical.end;
    let heredocs: Heredoc[] = [];
    i = logical.end;
    if (HEREDOC_KEYWORDS.has(keyword) && args.includes('<<')) {
      const read = readHeredocs(args, lines, logical.end);
      heredocs = read.heredocs;
      if (heredocs.length > 0) {
        i = read.next;
        end = read.next;
      }
    }
    if (keyword === 'FROM') stages.push(stageOf(args, stages.length, logical.line));
    const exec = execForm(args);
    instructions.push({
      keyword,
      args,
      flags,
      ...(exec ? { exec } : {}),
      heredocs,
      line: logical.line,
      endLine: end,
      source: lines.slice(logical.line - 1, end).map((t, k) => ({ line: logical.line + k, text: t })),
      stage: stages.length - 1,
    });
  }
  return { directives, instructions, stages };
}
