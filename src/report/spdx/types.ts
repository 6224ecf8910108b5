/** The parts of the SPDX 2.3 JSON model that Strata writes (https://spdx.github.io/spdx-spec/v2.3/). */
export interface SpdxAnnotation {
  readonly annotationDate: string;
  readonly annotationType: 'OTHER' | 'REVIEW';
  readonly annotator: string;
  readonly comment: string;
}

export interface SpdxExternalRef {
  readonly referenceCategory: 'SECURITY' | 'PACKAGE-MANAGER' | 'PERSISTENT-ID' | 'OTHER';
  readonly referenceType: string;
  readonly referenceLocator: string;
}

export interface SpdxPackage {
  readonly name: string;
  readonly SPDXID: string;
  readonly versionInfo?: string;
  readonly supplier?: string;
  readonly downloadLocation: string;
  readonly filesAnalyzed: boolean;
  readonly sourceInfo?: string;
  readonly licenseConcluded: string;
  readonly licenseDeclared: string;
  readonly copyrightText: string;
  readonly description?: string;
  readonly externalRefs?: readonly SpdxExternalRef[];
  readonly primaryPackagePurpose?: string;
  readonly annotations?: readonly SpdxAnnotation[];
}

export interface SpdxRelationship {
  readonly spdxElementId: string;
  readonly relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON';
  readonly relatedSpdxElement: string;
}

export interface SpdxExtractedLicense {
  readonly licenseId: string;
  readonly name: string;
  readonly extractedText: string;
  readonly comment: string;
}

export interface SpdxDocument {
  readonly spdxVersion: 'SPDX-2.3';
  readonly dataLicense: 'CC0-1.0';
  readonly SPDXID: 'SPDXRef-DOCUMENT';
  readonly name: string;
  documentNamespace: string;
  readonly creationInfo: { readonly creators: readonly string[]; readonly created: string };
  readonly packages: readonly SpdxPackage[];
  readonly relationships: readonly SpdxRelationship[];
  readonly hasExtractedLicensingInfos?: readonly SpdxExtractedLicense[];
}
