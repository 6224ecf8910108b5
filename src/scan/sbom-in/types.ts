/**
 * An SBOM document reduced to what an inventory needs, the same for CycloneDX and SPDX: the
 * subject it describes, its operating systems, its package entries and the edges between them.
 */
export type SbomFormat = 'cyclonedx' | 'spdx';

/** What the document describes (CycloneDX `metadata.component`, SPDX's DESCRIBES target). */
export interface SbomSubject {
  readonly container: boolean;
  readonly name: string;
  /** an image digest (`sha256:...`) when the document records one */
  readonly digest?: string;
}

/** An operating-system component (CycloneDX `operating-system`, SPDX `OPERATING_SYSTEM`). */
export interface SbomOs {
  readonly ref?: string;
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
}

/** One component or package, before it is read as a Package. */
export interface SbomEntry {
  /** where it sits in the document, for messages: `components[3].components[0]`, `packages[7]` */
  readonly field: string;
  /** bom-ref or SPDXID */
  readonly ref?: string;
  readonly name?: string;
  readonly version?: string;
  readonly purl?: string;
  /**
   * CycloneDX `type` or SPDX `primaryPackagePurpose`, lower case with `-` (`library`,
   * `application`, `operating-system`); undefined when the document leaves it out
   */
  readonly kind?: string;
  /** name/values properties (CycloneDX `properties`, SPDX annotations and attribution texts), in order */
  readonly props: ReadonlyMap<string, readonly string[]>;
  readonly licenses: readonly string[];
  /** SPDX `sourceInfo` (`built package from: NAME VERSION`) */
  readonly sourceInfo?: string;
}

export interface SbomDocument {
  readonly format: SbomFormat;
  readonly specVersion: string;
  readonly subject?: SbomSubject;
  /** the subject's ref, so edges from it are known as the root's */
  readonly subjectRef?: string;
  readonly operatingSystems: readonly SbomOs[];
  readonly entries: readonly SbomEntry[];
  /** parent ref -> child ref (CycloneDX dependsOn, SPDX CONTAINS/DEPENDS_ON, reversed for *_OF) */
  readonly edges: readonly (readonly [string, string])[];
  /** OS package ref -> the language package ref whose files it installed (Syft's ownership-by-file-overlap) */
  readonly ownership?: readonly (readonly [string, string])[];
}
