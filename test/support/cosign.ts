import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `.ci/install-go-tools.sh` puts the Go tools: GOPATH/bin (default ~/go/bin), else PATH. */
export function goTool(name: 'cosign' | 'crane'): string | undefined {
  const dirs = [
    process.env.GOPATH ? join(process.env.GOPATH, 'bin') : undefined,
    join(homedir(), 'go', 'bin'),
  ];
  for (const dir of dirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs cosign (or crane) offline against a local registry: no Rekor, no TUF, no update checks.
 * Never throws on a non-zero exit: tests assert the code and the message.
 */
export function runGoTool(
  bin: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [...args],
      {
        env: {
          ...process.env,
          COSIGN_YES: 'true',
          COSIGN_EXPERIMENTAL: '0',
          TUF_ROOT: join(process.env.TMPDIR ?? '/tmp', 'strata-cosign-tuf'),
          SIGSTORE_NO_CACHE: 'true',
          ...env,
        },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err && typeof (err as { code?: unknown }).code !== 'number') reject(err);
        else resolve({ code: err ? Number((err as { code: number }).code) : 0, stdout, stderr });
      },
    );
  });
}
