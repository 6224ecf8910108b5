import { Argument, type Command, type Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { commandPath } from './usage-error.js';

/**
 * `strata completion bash|zsh|fish`: a completion script derived from the commander program itself
 * (every command path, its subcommands and flags), so it never drifts from the CLI.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Node {
  readonly path: string;
  readonly subcommands: readonly { name: string; description: string }[];
  readonly flags: readonly { long?: string; short?: string; description: string; takesValue: boolean }[];
}

function visible(cmd: Command): Command[] {
  return cmd.commands.filter((c) => c.name() !== 'help');
}

/** Every command path with what may follow it, from the root down (help and version included). */
export function completionTree(program: Command): Node[] {
  const out: Node[] = [];
  const visit = (cmd: Command): void => {
    const help = cmd.createHelp();
    const options = help.visibleOptions(cmd);
    out.push({
      path: commandPath(cmd),
      subcommands: visible(cmd).map((c) => ({ name: c.name(), description: c.description() })),
      flags: options.map((o: Option) => ({
        ...(o.long ? { long: o.long } : {}),
        ...(o.short ? { short: o.short } : {}),
        description: o.description,
        takesValue: o.required || o.optional,
      })),
    });
    for (const sub of visible(cmd)) visit(sub);
  };
  visit(program);
  return out;
}

/** A word for a single-quoted shell string. */
const q = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const flagWords = (n: Node): string[] =>
  n.flags.flatMap((f) => [f.long, f.short].filter((x): x is string => !!x));

function bash(tree: Node[]): string {
  const paths = tree.map((n) => `${q(n.path)}`).join('|');
  const cases = tree
    .map(
      (n) =>
        `    ${q(n.path)}) subs=${q(n.subcommands.map((s) => s.name).join(' '))}; flags=${q(flagWords(n).join(' '))} ;;`,
    )
    .join('\n');
  return `# strata bash completion: eval "$(strata completion bash)", or save it in
# /etc/bash_completion.d/strata
_strata() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="strata" subs="" flags="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case "$cmdpath $w" in
      ${paths}) cmdpath="$cmdpath $w" ;;
    esac
  done
  case "$cmdpath" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ -n "$subs" ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -F _strata strata
`;
}

function zsh(tree: Node[]): string {
  const paths = tree.map((n) => q(n.path)).join('|');
  // _describe splits "word:description" at the first unescaped colon
  const zq = (word: string, description: string): string =>
    q(`${word.replace(/:/g, '\\:')}:${oneLine(description)}`);
  const cases = tree
    .map((n) => {
      const subs = n.subcommands.map((s) => zq(s.name, s.description)).join(' ');
      const flags = n.flags
        .flatMap((f) => [f.long, f.short].filter((x): x is string => !!x).map((w) => zq(w, f.description)))
        .join(' ');
      return `    ${q(n.path)}) subs=(${subs}); flags=(${flags}) ;;`;
    })
    .join('\n');
  return `#compdef strata
# strata zsh completion: save as _strata in a directory of $fpath, or: source <(strata completion zsh)
_strata() {
  local cmdpath="strata" w i
  local -a subs flags
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    [[ "$w" == -* ]] && continue
    case "$cmdpath $w" in
      ${paths}) cmdpath="$cmdpath $w" ;;
    esac
  done
  case "$cmdpath" in
${cases}
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    _describe -t flags 'flag' flags
  elif (( \${#subs} )); then
    _describe -t commands 'command' subs
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" == "_strata" ]]; then _strata "$@"; else compdef _strata strata; fi
`;
}

function fish(tree: Node[]): string {
  const lines = [
    '# strata fish completion: strata completion fish > ~/.config/fish/completions/strata.fish',
    `set -g __strata_paths ${tree.map((n) => q(n.path)).join(' ')}`,
    'function __strata_path',
    '    set -l p strata',
    '    for w in (commandline -opc)[2..-1]',
    "        string match -q -- '-*' $w; and continue",
    '        contains -- "$p $w" $__strata_paths; and set p "$p $w"',
    '    end',
    '    echo $p',
    'end',
    'complete -c strata -f',
  ];
  for (const n of tree) {
    const when = q(`test (__strata_path) = ${q(n.path)}`.replace(/'/g, '"'));
    for (const s of n.subcommands) {
      lines.push(`complete -c strata -n ${when} -a ${q(s.name)} -d ${q(oneLine(s.description))}`);
    }
    for (const f of n.flags) {
      const names = [
        f.long ? `-l ${q(f.long.replace(/^--/, ''))}` : '',
        f.short ? `-s ${q(f.short.replace(/^-/, ''))}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      lines.push(
        `complete -c strata -n ${when} ${names}${f.takesValue ? ' -r -F' : ''} -d ${q(oneLine(f.description))}`,
      );
    }
    if (n.subcommands.length === 0) lines.push(`complete -c strata -n ${when} -F`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(program: Command, shell: string): string {
  const tree = completionTree(program);
  switch (shell) {
    case 'bash':
      return bash(tree);
    case 'zsh':
      return zsh(tree);
    case 'fish':
      return fish(tree);
    default:
      throw new UsageError(
        'INVALID_ARGUMENT',
        `completion: unknown shell "${shell}" (expected ${SHELLS.join(', ')})`,
      );
  }
}

/** Adds `strata completion SHELL`; registered last, so the script covers every command. */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', SHELLS.join('|')).choices(SHELLS))
    .action((shell: string) => {
      process.stdout.write(completionScript(program, shell));
    });
}
