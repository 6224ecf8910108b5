import { describeError } from '../../../core/errors.js';
import type {
  AnalysisInput,
  AnalysisResult,
  Analyzer,
  FileInterest,
  FileMeta,
  PackageDraft,
} from '../../types.js';
import { sortDrafts, uniqueDrafts } from './drafts.js';

/** What one file yielded: packages plus the problems that did not stop the parse. */
export interface LangParseResult {
  readonly packages: readonly PackageDraft[];
  readonly errors?: readonly string[];
}

export interface LangAnalyzerSpec {
  readonly name: string;
  readonly version: number;
  readonly maxFileSize?: number;
  required(file: FileMeta): boolean;
  /** the base names / extensions `required()` can want (see Analyzer.wants): the walker's index */
  readonly wants?: FileInterest;
  /** may throw: the error becomes one `errors[]` line */
  parse(input: AnalysisInput): readonly PackageDraft[] | LangParseResult;
}

/**
 * Builds an Analyzer from a pure parser: a throw becomes an `errors[]` entry (the walker records
 * the file's path beside it),
 * every package gets the file's path, duplicates collapse and the output is sorted.
 */
export function defineLangAnalyzer(spec: LangAnalyzerSpec): Analyzer {
  return {
    name: spec.name,
    version: spec.version,
    ...(spec.maxFileSize === undefined ? {} : { maxFileSize: spec.maxFileSize }),
    required: (file) => spec.required(file),
    ...(spec.wants === undefined ? {} : { wants: spec.wants }),
    analyze: async (input, signal) => {
      signal.throwIfAborted();
      return toResult(input.meta.path, () => spec.parse(input));
    },
  };
}

function toResult(path: string, parse: () => readonly PackageDraft[] | LangParseResult): AnalysisResult {
  let parsed: LangParseResult;
  try {
    const out = parse();
    parsed = isParseResult(out) ? out : { packages: out };
  } catch (err) {
    return { packages: [], errors: [describeError(err)] };
  }
  const packages = sortDrafts(uniqueDrafts(parsed.packages.map((p) => (p.path ? p : { ...p, path }))));
  const errors = parsed.errors ?? [];
  return errors.length ? { packages, errors } : { packages };
}

function isParseResult(v: readonly PackageDraft[] | LangParseResult): v is LangParseResult {
  return !Array.isArray(v);
}
