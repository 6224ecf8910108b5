import { z } from '../../core/schema.js';

const Strings = z.array(z.string());
const StringMap = z.record(z.string(), z.string());

const Target = z.object({
  group: z.string().optional(),
  version: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  labelSelector: z.string().optional(),
  annotationSelector: z.string().optional(),
});
export type Target = z.infer<typeof Target>;

const Generator = z.object({
  name: z.string().min(1),
  namespace: z.string().optional(),
  behavior: z.enum(['create', 'merge', 'replace']).optional(),
  literals: Strings.optional(),
  files: Strings.optional(),
  envs: Strings.optional(),
  env: z.string().optional(),
  type: z.string().optional(),
  options: z
    .object({
      labels: StringMap.optional(),
      annotations: StringMap.optional(),
      disableNameSuffixHash: z.boolean().optional(),
      immutable: z.boolean().optional(),
    })
    .strict()
    .optional(),
});
export type Generator = z.infer<typeof Generator>;

/**
 * The kustomization fields Strata builds. Every other field is refused by name (`.strict()`), so a
 * kustomization is never half-built in silence.
 */
export const Kustomization = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: z.unknown().optional(),
    resources: Strings.optional(),
    bases: Strings.optional(),
    namePrefix: z.string().optional(),
    nameSuffix: z.string().optional(),
    namespace: z.string().optional(),
    commonLabels: StringMap.optional(),
    labels: z
      .array(
        z
          .object({
            pairs: StringMap,
            includeSelectors: z.boolean().optional(),
            includeTemplates: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
    commonAnnotations: StringMap.optional(),
    images: z
      .array(
        z
          .object({
            name: z.string(),
            newName: z.string().optional(),
            newTag: z.string().optional(),
            digest: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    patches: z
      .array(
        z
          .object({
            path: z.string().optional(),
            patch: z.string().optional(),
            target: Target.strict().optional(),
            options: z.unknown().optional(),
          })
          .strict(),
      )
      .optional(),
    patchesStrategicMerge: Strings.optional(),
    patchesJson6902: z
      .array(
        z
          .object({ target: Target.strict(), path: z.string().optional(), patch: z.string().optional() })
          .strict(),
      )
      .optional(),
    configMapGenerator: z.array(Generator.strict()).optional(),
    secretGenerator: z.array(Generator.strict()).optional(),
    generatorOptions: z
      .object({
        labels: StringMap.optional(),
        annotations: StringMap.optional(),
        disableNameSuffixHash: z.boolean().optional(),
        immutable: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Kustomization = z.infer<typeof Kustomization>;

/** The file names kustomize looks for in a directory, in its order. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;
