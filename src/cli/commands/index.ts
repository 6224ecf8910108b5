import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerDb } from './db.js';
import { registerFs } from './fs.js';
import { registerImage } from './image.js';
import { registerNetpol } from './netpol.js';
import { registerRbac } from './rbac.js';
import { registerTrust } from './trust.js';

/** Every CLI command registers itself here, in one explicit list. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [registerConfig, registerDb, registerFs, registerImage, registerNetpol, registerRbac, registerTrust];
