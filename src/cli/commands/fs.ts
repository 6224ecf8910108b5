import type { Command } from 'commander';
import { loadSecretConfig } from '../../analyzers/secret/index.js';
import { scanFilesystem } from '../../scan/fs.js';
import { parseScanners } from '../../scan/scanners.js';
import { addCommonOptions, type CommonOptions, emitResult, progress } from '../common.js';
import { detectorsFor } from '../detect.js';
import { isDebug, runAction } from '../run.js';

interface FsOptions extends CommonOptions {
  scanners?: string;
  db?: string;
  secretConfig?: string;
  includeDev?: boolean;
}

export function registerFs(program: Command): void {
  const cmd = program
    .command('fs <dir>')
    .description('scan a project or root-filesystem directory (lockfiles, installed packages, secrets)')
    .option('--scanners <list>', 'vuln,secret,misconfig', 'vuln,secret')
    .option('--db <path>', 'advisory database (default $STRATA_DB or ~/.cache/strata/db/strata.db)')
    .option('--secret-config <file>', 'custom secret rules and allow-lists (YAML)')
    .option('--no-include-dev', 'leave out dev-only dependencies');
  addCommonOptions(cmd).action((dir: string, opts: FsOptions) =>
    runAction(async () => {
      const scanners = parseScanners(opts.scanners, ['vuln', 'secret']);
      const result = await scanFilesystem(dir, {
        scanners,
        includeDev: opts.includeDev !== false,
        ...(opts.secretConfig ? { secretConfig: loadSecretConfig(opts.secretConfig) } : {}),
        onProgress: (m) => progress(opts, m),
        ...(scanners.length ? { detect: detectorsFor(scanners, opts) } : {}),
      });
      return emitResult(result, opts);
    }, isDebug()),
  );
}
