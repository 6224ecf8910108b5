import type { Command } from 'commander';
import { addCommonOptions, addListAllPackages, type CommonOptions, debugSink, progress } from '../common.js';
import { addDownloadDbOptions, checkDownloadDb, type DownloadDbOptions } from '../download-db.js';
import { isDebug, runAction } from '../run.js';

interface FsOptions extends CommonOptions, DownloadDbOptions {
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
  addDownloadDbOptions(cmd);
  addListAllPackages(addCommonOptions(cmd)).action((dir: string, opts: FsOptions) =>
    runAction(async () => {
      const { loadSecretConfig } = await import('../../analyzers/index.js');
      const { parseScanners, scanFilesystem } = await import('../../scan/index.js');
      const { emitResult, prepareCommon } = await import('../emit.js');
      const { downloadDbIfMissing } = await import('../download-db-run.js');
      const suppression = prepareCommon(opts);
      const scanners = parseScanners(opts.scanners, ['vuln', 'secret']);
      checkDownloadDb(opts);
      await downloadDbIfMissing(opts, scanners.includes('vuln'));
      const result = await scanFilesystem(dir, {
        scanners,
        includeDev: opts.includeDev !== false,
        ...(opts.secretConfig ? { secretConfig: loadSecretConfig(opts.secretConfig) } : {}),
        ...(opts.db ? { db: opts.db } : {}),
        onProgress: (m) => progress(opts, m),
        onWarning: (w) => progress(opts, `warning: ${w}`),
        ...(opts.debug ? { onDebug: debugSink(opts) } : {}),
      });
      return emitResult(result, opts, suppression, scanners);
    }, isDebug()),
  );
}
