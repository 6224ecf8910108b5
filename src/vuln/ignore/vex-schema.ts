import { z } from '../../core/schema.js';

/**
 * The OpenVEX document shape (https://github.com/openvex/spec, v0.2.0; the v0.0.x string forms of
 * `vulnerability`, `products` and statement-level `subcomponents` are read too). Unknown keys are
 * kept out of the way, never an error: documents carry `author`, `tooling`, `hashes`, ...
 */

const text = z.string().min(1);

/** A timestamp the statements can be ordered by (RFC 3339). */
const timestamp = text.refine((s) => !Number.isNaN(Date.parse(s)), {
  message: 'expected an RFC 3339 timestamp',
});

const identifiers = z
  .object({ purl: text.optional(), cpe22: text.optional(), cpe23: text.optional() })
  .loose();

const componentFields = {
  '@id': text.optional(),
  identifiers: identifiers.optional(),
};

/** v0.0.x wrote components as bare identifier strings; read them as `{ "@id": ... }`. */
const asObject = (v: unknown): unknown => (typeof v === 'string' ? { '@id': v } : v);

const identified = (c: {
  '@id'?: string | undefined;
  identifiers?: z.infer<typeof identifiers> | undefined;
}) =>
  c['@id'] !== undefined ||
  c.identifiers?.purl !== undefined ||
  c.identifiers?.cpe22 !== undefined ||
  c.identifiers?.cpe23 !== undefined;
const needsId = { message: 'expected an @id or identifiers (purl, cpe22, cpe23)' };

export const VexComponentSchema = z.preprocess(
  asObject,
  z.object(componentFields).loose().refine(identified, needsId),
);

export const VexProductSchema = z.preprocess(
  asObject,
  z
    .object({ ...componentFields, subcomponents: z.array(VexComponentSchema).optional() })
    .loose()
    .refine(identified, needsId),
);

export const VexVulnerabilitySchema = z.preprocess(
  (v) => (typeof v === 'string' ? { name: v } : v),
  z.object({ name: text, '@id': text.optional(), aliases: z.array(text).optional() }).loose(),
);

export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;

export const VexStatementSchema = z
  .object({
    '@id': text.optional(),
    vulnerability: VexVulnerabilitySchema,
    // a bare document has no encapsulating one to inherit products from: a statement must name them
    products: z.array(VexProductSchema).min(1),
    subcomponents: z.array(VexComponentSchema).optional(),
    status: z.enum(VEX_STATUSES),
    justification: text.optional(),
    impact_statement: text.optional(),
    action_statement: text.optional(),
    timestamp: timestamp.optional(),
  })
  .loose()
  .refine((s) => s.status !== 'not_affected' || s.justification || s.impact_statement, {
    message: 'a not_affected statement needs a justification or an impact_statement',
  });

export const VexDocumentSchema = z
  .object({
    '@context': text.refine((s) => s.startsWith('https://openvex.dev/ns'), {
      message: 'expected an OpenVEX context (https://openvex.dev/ns...)',
    }),
    '@id': text.optional(),
    timestamp: timestamp.optional(),
    statements: z.array(VexStatementSchema),
  })
  .loose();

export type VexDocumentInput = z.output<typeof VexDocumentSchema>;
export type VexStatementInput = z.output<typeof VexStatementSchema>;
export type VexComponentInput = z.output<typeof VexComponentSchema>;
