import { z } from '../../core/schema.js';

const Gvk = z.object({ group: z.string(), version: z.string(), kind: z.string() });
const Gvr = z.object({ group: z.string(), version: z.string(), resource: z.string() });
const KubeObject = z.record(z.string(), z.unknown());

/** The parts of an `admission.k8s.io/v1` AdmissionRequest the webhook reads. */
export const AdmissionRequestSchema = z.object({
  uid: z.string().min(1).max(256),
  kind: Gvk,
  resource: Gvr,
  subResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
  userInfo: z.object({ username: z.string().optional(), groups: z.array(z.string()).nullish() }).prefault({}),
  object: KubeObject.nullish(),
  oldObject: KubeObject.nullish(),
  dryRun: z.boolean().nullish(),
});

export const AdmissionReviewSchema = z.object({
  apiVersion: z.literal('admission.k8s.io/v1'),
  kind: z.literal('AdmissionReview'),
  request: AdmissionRequestSchema,
});

export type AdmissionRequest = z.output<typeof AdmissionRequestSchema>;
export type AdmissionReviewRequest = z.output<typeof AdmissionReviewSchema>;

/** The answer: `admission.k8s.io/v1` AdmissionReview with `response` (uid echoed). */
export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: { readonly code: number; readonly reason?: string; readonly message: string };
  readonly warnings?: readonly string[];
  readonly auditAnnotations?: Readonly<Record<string, string>>;
  readonly patchType?: 'JSONPatch';
  /** base64 of the JSON Patch document */
  readonly patch?: string;
}

export interface AdmissionReviewResponse {
  readonly apiVersion: 'admission.k8s.io/v1';
  readonly kind: 'AdmissionReview';
  readonly response: AdmissionResponse;
}
