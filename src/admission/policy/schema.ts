import { SEVERITIES } from '../../core/index.js';
import { z } from '../../core/schema.js';

const Severity = z.enum(SEVERITIES);
const Version = z.string().regex(/^(latest|v1\.(0|[1-9][0-9]*))$/, { error: 'expected "latest" or "v1.x"' });
const Names = z.array(z.string().min(1)).min(1, { error: 'expected at least one entry' });
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const Exemption = z
  .strictObject({
    namespaces: Names.optional(),
    users: Names.optional(),
    groups: Names.optional(),
    images: Names.optional(),
    expires: z
      .union([z.string(), z.date()])
      .refine((v) => v instanceof Date || (DAY.test(v) && !Number.isNaN(Date.parse(v))), {
        error: 'expected a date YYYY-MM-DD',
      })
      .optional(),
    reason: z.string().optional(),
  })
  .refine((e) => e.namespaces || e.users || e.groups || e.images, {
    error: 'expected at least one of namespaces, users, groups, images',
  });

/** SPEC's AdmissionPolicy file: every key optional, unknown keys refused (a typo must not weaken a policy). */
export const PolicyFile = z.strictObject({
  apiVersion: z.literal('strata.dev/v1').optional(),
  kind: z.literal('AdmissionPolicy').optional(),
  mode: z.enum(['enforce', 'warn', 'audit']).default('enforce'),
  failurePolicy: z.enum(['fail', 'ignore']).default('fail'),
  timeoutSeconds: z.number().int().min(1).max(30).default(8),
  podSecurity: z
    .strictObject({
      level: z.enum(['privileged', 'baseline', 'restricted']).default('restricted'),
      version: Version.default('latest'),
      workloads: z.enum(['warn', 'enforce']).default('warn'),
    })
    .prefault({}),
  rules: z
    .strictObject({ denySeverity: z.union([Severity, z.literal('NONE')]).default('HIGH') })
    .prefault({}),
  images: z
    .strictObject({
      allowedRegistries: Names.optional(),
      pinDigests: z.boolean().default(false),
      verification: z.string().min(1).optional(),
      vulnerabilities: z
        .strictObject({
          denySeverity: Severity.default('CRITICAL'),
          ignoreUnfixed: z.boolean().default(false),
          db: z.string().min(1).optional(),
        })
        .optional(),
      cacheSeconds: z.number().int().min(0).max(86_400).default(300),
    })
    .prefault({}),
  exemptions: z.array(Exemption).default([]),
});

export type PolicyFileShape = z.output<typeof PolicyFile>;
