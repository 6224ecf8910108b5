/** The parts of the CycloneDX 1.6 JSON model that Strata writes (https://cyclonedx.org/docs/1.6/json/). */
export interface CdxProperty {
  readonly name: string;
  readonly value: string;
}

export interface CdxContact {
  readonly name?: string;
  readonly email?: string;
}

export type CdxLicenseChoice =
  | readonly (
      | { readonly license: { readonly id: string } }
      | { readonly license: { readonly name: string } }
    )[]
  | readonly [{ readonly expression: string }];

export type CdxComponentType = 'application' | 'container' | 'library' | 'operating-system' | 'platform';

export interface CdxComponent {
  readonly type: CdxComponentType;
  readonly 'bom-ref': string;
  readonly supplier?: { readonly name: string; readonly contact?: readonly CdxContact[] };
  readonly authors?: readonly CdxContact[];
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
  readonly licenses?: CdxLicenseChoice;
  readonly purl?: string;
  readonly properties?: readonly CdxProperty[];
}

export interface CdxDependency {
  readonly ref: string;
  readonly dependsOn: readonly string[];
}

/** One rating of a vulnerability: a scored CVSS vector, or the advisory's own word (`other`). */
export interface CdxRating {
  readonly source?: { readonly name: string; readonly url: string };
  readonly score?: number;
  readonly severity: string;
  readonly method?: 'CVSSv2' | 'CVSSv3' | 'CVSSv31' | 'CVSSv4' | 'other';
  readonly vector?: string;
}

export interface CdxVulnerability {
  readonly id: string;
  readonly source: { readonly name: string; readonly url: string };
  readonly references?: readonly {
    readonly id: string;
    readonly source: { readonly name: string; readonly url: string };
  }[];
  readonly ratings: readonly CdxRating[];
  readonly description?: string;
  readonly recommendation?: string;
  readonly advisories?: readonly { readonly url: string }[];
  readonly affects: readonly { readonly ref: string }[];
  readonly properties?: readonly CdxProperty[];
}

export interface CdxBom {
  readonly bomFormat: 'CycloneDX';
  readonly specVersion: '1.6';
  serialNumber: string;
  readonly version: 1;
  readonly metadata: {
    readonly timestamp?: string;
    readonly tools: {
      readonly components: readonly {
        readonly type: 'application';
        readonly name: string;
        readonly version: string;
      }[];
    };
    readonly component: CdxComponent;
  };
  readonly components: readonly CdxComponent[];
  readonly dependencies: readonly CdxDependency[];
  readonly vulnerabilities?: readonly CdxVulnerability[];
}
