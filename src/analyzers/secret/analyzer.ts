import { stableDigest } from '../../core/digest.js';
import type { AnalysisInput, AnalysisResult, Analyzer, FileMeta } from '../types.js';
import { hasBinaryExtension, looksBinary } from './binary.js';
import { createScanner, resolveSecretConfig } from './builtin.js';
import { toFinding } from './finding.js';
import { isAllowed, MAX_HITS_PER_RULE } from './scanner.js';
import type { SecretConfig } from './types.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/** scripts are small; an executable file larger than this is a binary */
const LARGE_EXECUTABLE = 256 * 1024;
const BIN_DIR = /(?:^|\/)(?:s?bin|libexec)\//;

const isExecutable = (mode: number): boolean => (mode & 0o111) !== 0;

/**
 * The secret analyzer. It sees every layer's copy of a file (`every-layer`), so a secret deleted in
 * a later layer is still reported, with the layer that holds it (the runner fills `location.layer`).
 */
export function createSecretAnalyzer(config: SecretConfig = {}): Analyzer {
  const resolved = resolveSecretConfig(config);
  // built on the first file: a scan whose layers all come from the layer cache never needs it
  let scanner: ReturnType<typeof createScanner> | undefined;
  let key: string | undefined;
  return {
    name: 'secret/builtin',
    version: 1,
    // the rules, allow rules and size cap (built-in ones included): computed once, when a layer cache asks
    get cacheKey(): string {
      key ??= stableDigest(resolved);
      return key;
    },
    scope: 'every-layer',
    maxFileSize: resolved.maxFileSize,
    required(file: FileMeta): boolean {
      const type = file.mode & S_IFMT;
      if (type !== 0 && type !== S_IFREG) return false;
      if (file.size === 0) return false;
      if (hasBinaryExtension(file.path)) return false;
      // a large executable is a compiled program, not a script: skip it unread (and an oversized
      // file in a bin directory too, rather than have the runner report it as "too large")
      if (file.size > LARGE_EXECUTABLE && isExecutable(file.mode)) return false;
      if (file.size > resolved.maxFileSize && BIN_DIR.test(file.path)) return false;
      return !isAllowed(resolved.pathAllowRules, file.path, undefined);
    },
    async analyze(input: AnalysisInput, signal: AbortSignal): Promise<AnalysisResult> {
      signal.throwIfAborted();
      if (looksBinary(input.content)) return {};
      scanner ??= createScanner(resolved);
      const { hits, truncated, unfinished } = scanner.scan(input.meta.path, input.content);
      const errors = [
        ...truncated.map(
          (id) =>
            `more than ${MAX_HITS_PER_RULE} matches of rule ${id}; only the first ${MAX_HITS_PER_RULE} reported`,
        ),
        ...(unfinished.length === 0
          ? []
          : [`secret scan ran out of its time budget; rules not finished: ${unfinished.join(', ')}`]),
      ];
      return {
        findings: hits.map((hit) => toFinding(hit, input.meta.path)),
        ...(errors.length === 0 ? {} : { errors }),
      };
    },
  };
}
