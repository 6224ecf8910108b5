/** Parser directives at the top of a Dockerfile (`# syntax=`, `# escape=`, `# check=`). */
export interface Directives {
  readonly syntax?: string;
  /** the line-continuation and escape character: `\` (default) or a backtick */
  readonly escape: '\\' | '`';
  readonly check?: string;
}

export interface Heredoc {
  readonly name: string;
  /** the body, without the terminator line (tabs stripped for `<<-`) */
  readonly body: string;
  /** 1-based line of the first body line */
  readonly line: number;
}

export interface Instruction {
  /** upper-cased keyword: `FROM`, `RUN`, ... */
  readonly keyword: string;
  /** the arguments after the keyword and its flags, continuations joined with a space */
  readonly args: string;
  /** `--name=value` flags before the arguments (`--from`, `--chown`, `--mount`, `--checksum`, ...) */
  readonly flags: Readonly<Record<string, string>>;
  /** the JSON (exec) form, when the arguments are a JSON array of strings */
  readonly exec?: readonly string[];
  readonly heredocs: readonly Heredoc[];
  /** 1-based first and last line, heredoc bodies included */
  readonly line: number;
  readonly endLine: number;
  /** source lines of the instruction, keyed by line number (for pointing at a match) */
  readonly source: readonly { readonly line: number; readonly text: string }[];
  /** the build stage (index of its FROM); -1 for ARGs before the first FROM */
  readonly stage: number;
}

export interface Stage {
  readonly index: number;
  /** the `AS name`, lower-cased as BuildKit compares it */
  readonly name?: string;
  /** the image (or earlier stage) it builds FROM */
  readonly base: string;
  readonly line: number;
}

export interface Dockerfile {
  readonly directives: Directives;
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
}
