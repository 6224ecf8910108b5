import type { Command } from 'commander';

/** Every CLI command registers itself here, in one explicit list. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [];
