import { parseDigest } from '../../core/digest.js';
import { tolerant, validEntries, z } from '../../core/schema.js';
import type { ImageReference } from '../../image/index.js';
import { readSignedJson } from '../read-json.js';
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

/** An in-toto Statement (v0.1 or v1); a subject without a digest mapping names nothing and is skipped. */
const StatementSchema = z.object({
  _type: z.enum([STATEMENT_V01, STATEMENT_V1], {
    error: (i) => `expected an in-toto Statement type, got ${JSON.stringify(i.input)}`,
  }),
  predicateType: z.string(),
  subject: z.array(z.unknown()).transform((list) =>
    list.flatMap((s) => {
      const subject = Subject.safeParse(s).data;
      return subject ? [{ name: subject.name ?? '', digest: subject.digest }] : [];
    }),
  ),
  predicate: z.unknown().optional(),
});
const Subject = z.object({ name: tolerant(z.string()), digest: validEntries(z.string()) });

export function parseStatement(bytes: Uint8Array, where: string): Statement {
  const { predicate, ...rest } = readSignedJson(StatementSchema, bytes, where, 'in-toto statement');
  return { ...rest, predicate };
}

/** Whether a subject names this digest. */
export function subjectMatches(statement: Statement, digest: string): boolean {
  const { algorithm, hex } = parseDigest(digest);
  return statement.subject.some((s) => s.digest[algorithm]?.toLowerCase() === hex);
}
