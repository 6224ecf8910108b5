#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { describeError, StrataError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { sanitize } from '../transport/light.js';
import { COMMANDS } from './commands/index.js';
import { registerCompletion } from './completion.js';
import { commandPath, usageLine } from './usage-error.js';

/** Builds the program from the explicit command list (no import side effects). */
export function buildProgram(): Command {
  const program = new Command('strata')
    .description('Container security from the image layer up to the cluster network')
    .version(toolVersion())
    .option('--config <file>', 'config file (default $STRATA_CONFIG, else ./strata.yaml when present)')
    .exitOverride();
  // SPEC.md: a usage error is one line on stderr. Subcommands inherit this when they are added.
  program.configureOutput({
    outputError: (message, write) => write(usageLine(message, 'strata')),
  });
  for (const register of COMMANDS) register(program);
  registerCompletion(program);
  oneLineUsageErrors(program);
  // flag > STRATA_<FLAG> > strata.yaml > default, filled in once the command line is parsed
  // (config-file.ts, with its YAML and schema code, is loaded only when a command is about to run)
  program.hook('preAction', async (root, action) => {
    const { applySettings, loadConfigFile } = await import('./config-file.js');
    const named = (root.opts() as { config?: string }).config ?? (process.env.STRATA_CONFIG || undefined);
    applySettings(action, loadConfigFile(named, root), process.env);
  });
  return program;
}

/** Every (sub)command reports its usage errors as one line naming its own help. */
function oneLineUsageErrors(cmd: Command): void {
  const path = commandPath(cmd);
  cmd.configureOutput({ outputError: (message, write) => write(usageLine(message, path)) });
  for (const sub of cmd.commands) oneLineUsageErrors(sub);
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; a usage mistake exits 2 (its one line is already printed)
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof StrataError && err.userError) {
      // a bad config file or STRATA_* value, found before the command ran
      process.stderr.write(`strata: ${sanitize(describeError(err), 2000)}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

// A command whose last pending promise is dropped (a stream error nobody listened to) would let
// node end with exit 13 and nothing on stderr; it ends as an internal error instead.
let finished = false;
process.once('beforeExit', () => {
  if (finished) return;
  process.stderr.write(
    'strata: internal error: the command stopped before it finished (an operation was lost)\n',
  );
  process.exit(3);
});
await main();
finished = true;
