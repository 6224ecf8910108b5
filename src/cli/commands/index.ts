import type { Command } from 'commander';
import { registerDb } from './db.js';

/** Every CLI command registers itself here, in one explicit list. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [registerDb];
