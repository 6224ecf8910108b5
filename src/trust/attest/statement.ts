import { parseDigest } from '../../core/digest.js';
import type { ImageReference } from '../../image/index.js';
import { TrustError } from '../errors.js';
import { dockerReference } from '../sign/index.js';

export const STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

export interface Subject {
  readonly name: string;
  readonly digest: Readonly<Record<string, string>>;
}

export interface Statement {
  readonly _type: string;
  readonly predicateType: string;
  readonly subject: readonly Subject[];
  readonly predicate: unknown;
}

/** The in-toto Statement cosign attests: one subject, the image repository at its digest. */
export function buildStatement(
  ref: Pick<ImageReference, 'registry' | 'repository'>,
  digest: string,
  predicateType: string,
  predicate: unknown,
  version: 'v0.1' | 'v1' = 'v0.1',
): Statement {
  const { algorithm, hex } = parseDigest(digest);
  return {
    _type: version === 'v1' ? STATEMENT_V1 : STATEMENT_V01,
    predicateType,
    subject: [{ name: dockerReference(ref), digest: { [algorithm]: hex } }],
    predicate,
  };
}

export function parseStatement(bytes: Uint8Array, where: string): Statement {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new TrustError('INVALID_PAYLOAD', `${where}: in-toto statement is not JSON`, { cause });
  }
  const d = doc as { _type?: unknown; predicateType?: unknown; subject?: unknown; predicate?: unknown };
  if (d._type !== STATEMENT_V01 && d._type !== STATEMENT_V1) {
    throw new TrustError(
      'INVALID_PAYLOAD',
      `${where}: _type ${JSON.stringify(d._type)} is not an in-toto Statement`,
    );
  }
  if (typeof d.predicateType !== 'string')
    throw new TrustError('INVALID_PAYLOAD', `${where}: no predicateType`);
  if (!Array.isArray(d.subject)) throw new TrustError('INVALID_PAYLOAD', `${where}: no subject array`);
  const subject = d.subject.flatMap((s: { name?: unknown; digest?: unknown }) => {
    if (typeof s?.digest !== 'object' || s.digest === null) return [];
    const digest = Object.fromEntries(
      Object.entries(s.digest as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
    return [{ name: typeof s.name === 'string' ? s.name : '', digest }];
  });
  return { _type: d._type, predicateType: d.predicateType, subject, predicate: d.predicate };
}

/** Whether a subject names this digest. */
export function subjectMatches(statement: Statement, digest: string): boolean {
  const { algorithm, hex } = parseDigest(digest);
  return statement.subject.some((s) => s.digest[algorithm]?.toLowerCase() === hex);
}
