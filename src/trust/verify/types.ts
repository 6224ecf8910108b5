/** Where a signature was found. */
export type SignatureSource = 'tag' | 'referrer';

/** One signature layer and what checking it gave. */
export interface SignatureCheck {
  readonly source: SignatureSource;
  /** the signature manifest (the `.sig` tag's or a referrer's) */
  readonly manifest: string;
  /** the payload layer's digest */
  readonly layer: string;
  readonly valid: boolean;
  /** why it failed; absent when valid */
  readonly reason?: string;
  /** the ids (`sha256:` of SPKI DER) of the given keys that verified it */
  readonly keyIds: readonly string[];
  readonly dockerReference?: string;
  readonly payloadDigest?: string;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

export interface ImageVerification {
  readonly image: string;
  readonly digest: string;
  readonly signatures: readonly SignatureCheck[];
  /** true when at least one signature is valid */
  readonly verified: boolean;
}
