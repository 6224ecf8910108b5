import type { Command } from 'commander';
import { registerAdmission } from './admission.js';
import { registerAudit } from './audit.js';
import { registerConfig } from './config.js';
import { registerDb } from './db.js';
import { registerFs } from './fs.js';
import { registerImage } from './image.js';
import { registerK8s } from './k8s.js';
import { registerNetpol } from './netpol.js';
import { registerPaths } from './paths.js';
import { registerProbe } from './probe.js';
import { registerRbac } from './rbac.js';
import { registerServer, registerWorker } from './server.js';
import { registerTrust } from './trust.js';

/** Every CLI command registers itself here, in one explicit list. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerAdmission,
  registerAudit,
  registerConfig,
  registerDb,
  registerFs,
  registerImage,
  registerK8s,
  registerNetpol,
  registerPaths,
  registerProbe,
  registerRbac,
  registerServer,
  registerTrust,
  registerWorker,
];
