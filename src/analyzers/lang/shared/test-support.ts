import { readFileSync } from 'node:fs';
import type { AnalysisResult, Analyzer, FileMeta } from '../../types.js';

/** Test helper: run one analyzer on a fixture file as the walker would hand it over. */
export async function analyzeFixture(
  analyzer: Analyzer,
  fixture: URL,
  path: string,
  mode = 0o644,
): Promise<AnalysisResult> {
  return analyzeBytes(analyzer, readFileSync(fixture), path, mode);
}

export async function analyzeBytes(
  analyzer: Analyzer,
  content: Buffer,
  path: string,
  mode = 0o644,
): Promise<AnalysisResult> {
  const meta: FileMeta = { path, size: content.length, mode };
  return analyzer.analyze({ meta, content }, new AbortController().signal);
}

/** `name@version` (with `namespace/` and a `(dev)` mark) for compact expectations. */
export function ids(result: AnalysisResult): string[] {
  return (result.packages ?? []).map(
    (p) => `${p.namespace ? `${p.namespace}/` : ''}${p.name}@${p.version}${p.dev ? ' (dev)' : ''}`,
  );
}

export function meta(path: string, size = 1024, mode = 0o644): FileMeta {
  return { path, size, mode };
}
