import { z } from '../../../core/schema.js';

/**
 * The kubeconfig file format (`apiVersion: v1, kind: Config`) as kubectl reads it: every field
 * optional unless kubectl requires it, unknown fields kept (`looseObject`) so newer files load.
 * YAML writes an empty section as `null`, hence `nullish` on lists and sections.
 */
const optionalString = z.string().nullish();

export const EXEC_API_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
] as const;
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];

const ExecEnvVar = z.object({ name: z.string().min(1), value: z.string() });

export const ExecConfigSchema = z.looseObject({
  command: z.string().min(1),
  args: z.array(z.string()).nullish(),
  env: z.array(ExecEnvVar).nullish(),
  apiVersion: z.enum(EXEC_API_VERSIONS),
  installHint: optionalString,
  provideClusterInfo: z.boolean().nullish(),
  interactiveMode: z.enum(['Never', 'IfAvailable', 'Always']).nullish(),
});
export type ExecConfig = z.output<typeof ExecConfigSchema>;

const Extension = z.looseObject({ name: z.string(), extension: z.unknown() });

export const ClusterSchema = z.looseObject({
  server: optionalString,
  'certificate-authority': optionalString,
  'certificate-authority-data': optionalString,
  'insecure-skip-tls-verify': z.boolean().nullish(),
  'tls-server-name': optionalString,
  'proxy-url': optionalString,
  'disable-compression': z.boolean().nullish(),
  extensions: z.array(Extension).nullish(),
});
export type KubeCluster = z.output<typeof ClusterSchema>;

export const UserSchema = z.looseObject({
  token: optionalString,
  tokenFile: optionalString,
  username: optionalString,
  password: optionalString,
  'client-certificate': optionalString,
  'client-certificate-data': optionalString,
  'client-key': optionalString,
  'client-key-data': optionalString,
  exec: ExecConfigSchema.nullish(),
  'auth-provider': z.looseObject({ name: z.string() }).nullish(),
});
export type KubeUser = z.output<typeof UserSchema>;

export const ContextSchema = z.looseObject({
  cluster: z.string(),
  user: optionalString,
  namespace: optionalString,
});
export type KubeContext = z.output<typeof ContextSchema>;

export const KubeconfigSchema = z.looseObject({
  apiVersion: optionalString,
  kind: optionalString,
  'current-context': optionalString,
  clusters: z.array(z.looseObject({ name: z.string().min(1), cluster: ClusterSchema.nullish() })).nullish(),
  contexts: z.array(z.looseObject({ name: z.string().min(1), context: ContextSchema.nullish() })).nullish(),
  users: z.array(z.looseObject({ name: z.string().min(1), user: UserSchema.nullish() })).nullish(),
});
export type KubeconfigDocument = z.output<typeof KubeconfigSchema>;
