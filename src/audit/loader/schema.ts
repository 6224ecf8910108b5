import { z } from '../../core/schema.js';

const strings = z.array(z.string());
const overrideMode = z.enum(['append', 'replace']);

export const ListItemSchema = z.object({
  list: z.string().min(1),
  items: z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)).nullish(),
  append: z.boolean().optional(),
  override: z.object({ items: overrideMode }).strict().optional(),
});

export const MacroItemSchema = z.object({
  macro: z.string().min(1),
  condition: z.string().optional(),
  append: z.boolean().optional(),
  override: z.object({ condition: overrideMode }).strict().optional(),
});

export const ExceptionSchema = z.object({
  name: z.string().min(1),
  fields: z.union([z.string(), strings]).optional(),
  comps: z.union([z.string(), strings]).optional(),
  values: z.array(z.unknown()).nullish(),
});

const APPENDABLE = ['condition', 'output', 'desc', 'tags', 'exceptions'] as const;
const REPLACEABLE = [
  ...APPENDABLE,
  'priority',
  'enabled',
  'source',
  'warn_evttypes',
  'skip-if-unknown-filter',
] as const;

export const RuleItemSchema = z.object({
  rule: z.string().min(1),
  desc: z.string().optional(),
  condition: z.string().optional(),
  output: z.string().optional(),
  priority: z.string().optional(),
  source: z.string().optional(),
  enabled: z.boolean().optional(),
  tags: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
  exceptions: z.array(ExceptionSchema).nullish(),
  append: z.boolean().optional(),
  override: z
    .record(z.string(), overrideMode)
    .refine(
      (o) =>
        Object.entries(o).every(([k, m]) => (m === 'append' ? APPENDABLE : REPLACEABLE).includes(k as never)),
      {
        message: `only ${APPENDABLE.join(', ')} can be appended; ${REPLACEABLE.join(', ')} replaced`,
      },
    )
    .optional(),
  warn_evttypes: z.boolean().optional(),
  'skip-if-unknown-filter': z.boolean().optional(),
});

export const EngineVersionSchema = z.object({ required_engine_version: z.union([z.string(), z.number()]) });
export const PluginVersionsSchema = z.object({
  required_plugin_versions: z.array(
    z.object({ name: z.string(), version: z.string(), alternatives: z.array(z.unknown()).optional() }),
  ),
});

export type ListItemDoc = z.output<typeof ListItemSchema>;
export type MacroItemDoc = z.output<typeof MacroItemSchema>;
export type RuleItemDoc = z.output<typeof RuleItemSchema>;
