/**
 * `strata paths <path...>`: manifests (or a live cluster's resources, through `strata k8s
 * --paths`) plus the images their workloads run — scanned from the registry (scanClusterImages:
 * one pull per digest) or taken from Strata JSON results of image scans (`--results`) — joined
 * into ranked attack paths.
 */
import { buildResult, type Finding, type ScanError, type ScanResult } from '../core/index.js';
import { readInputText } from '../core/safe-read.js';
import { InputError } from '../core/schema.js';
import { formatReference, parseReference } from '../image/index.js';
import { analyzeRbac, type KubeResource, loadKubeResources, workloadImages } from '../kube/index.js';
import { type ClusterImage, type ClusterImageOptions, scanClusterImages } from '../scan/index.js';
import { pathFindings } from './findings.js';
import { AttackGraph, findPaths, type PathOptions } from './graph.js';

export const PATHS_ANALYZER = 'paths';

export interface PathsOptions extends Pick<PathOptions, 'maxLateral'> {
  /** scan the workloads' images from their registries (vuln scanner only) */
  readonly images?: Omit<ClusterImageOptions, 'scanners'>;
  /** Strata JSON results of image scans to take the images' vulnerabilities from, instead of pulling */
  readonly results?: readonly string[];
  readonly onProgress?: (message: string) => void;
  readonly onWarning?: (message: string) => void;
}

export interface PathsAnalysis {
  readonly findings: Finding[];
  readonly errors: ScanError[];
  readonly workloads: number;
  readonly paths: number;
}

/**
 * The attack paths of a snapshot whose image findings are known (vulnerability findings with
 * `location.resource` naming the workload, as `scanClusterImages` attributes them).
 */
export function analyzePaths(
  resources: readonly KubeResource[],
  imageFindings: readonly Finding[],
  options: Pick<PathOptions, 'maxLateral' | 'controllers'> = {},
): PathsAnalysis {
  const rbac = analyzeRbac(resources);
  const graph = new AttackGraph(resources, imageFindings, rbac.authorizer, {
    ...options,
    escalations: rbac.findings,
  });
  const paths = findPaths(graph);
  return {
    findings: pathFindings(paths),
    errors: [],
    workloads: graph.workloads.length,
    paths: paths.length,
  };
}

interface ResultImage {
  readonly file: string;
  readonly name: string;
  readonly ref?: string;
  readonly digest?: string;
  readonly findings: readonly Finding[];
}

/** Reads `--results` files: one Strata JSON result, or an array of them, of image scans. */
export function readImageResults(files: readonly string[]): ResultImage[] {
  const out: ResultImage[] = [];
  for (const file of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(readInputText(file, { kind: 'results' }));
    } catch (err) {
      if (err instanceof SyntaxError) throw new InputError(`--results ${file}: not JSON (${err.message})`);
      throw err;
    }
    const items = Array.isArray(doc) ? doc : [doc];
    items.forEach((item, i) => {
      const where = Array.isArray(doc) ? `${file}[${i}]` : file;
      const r = item as Partial<ScanResult> | null;
      if (!r || typeof r !== 'object' || r.schemaVersion !== 1 || !r.target || !Array.isArray(r.findings)) {
        throw new InputError(
          `--results ${where}: not a Strata JSON result (schemaVersion 1 with target and findings)`,
        );
      }
      if (r.target.type !== 'container_image') {
        throw new InputError(
          `--results ${where}: target.type is "${String(r.target.type)}", expected container_image`,
        );
      }
      const name = String(r.target.name ?? '');
      let ref: string | undefined;
      try {
        const parsed = parseReference(name);
        ref = formatReference({
          registry: parsed.registry,
          repository: parsed.repository,
          ...(parsed.tag ? { tag: parsed.tag } : {}),
        });
      } catch {
        ref = undefined;
      }
      out.push({
        file: where,
        name,
        ...(ref ? { ref } : {}),
        ...(typeof r.target.digest === 'string' ? { digest: r.target.digest } : {}),
        findings: r.findings as Finding[],
      });
    });
  }
  return out;
}

/** Attributes the results' findings to the workloads running each image (by digest, else by reference). */
export function attributeResults(
  resources: readonly KubeResource[],
  results: readonly ResultImage[],
): { findings: Finding[]; images: ClusterImage[]; errors: ScanError[] } {
  const findings: Finding[] = [];
  const byImage = new Map<string, ClusterImage>();
  const errors: ScanError[] = [];
  for (const use of workloadImages(resources)) {
    let ref: string | undefined;
    let digest = use.runningDigest;
    try {
      const p = parseReference(use.image);
      ref = formatReference({
        registry: p.registry,
        repository: p.repository,
        ...(p.tag ? { tag: p.tag } : {}),
      });
      digest = digest ?? p.digest;
    } catch {
      ref = undefined;
    }
    const hit =
      results.find((r) => digest !== undefined && r.digest === digest) ??
      results.find(
        (r) => ref !== undefined && r.ref === ref && (digest === undefined || r.digest === undefined),
      );
    const key = hit ? hit.name : use.image;
    const image = byImage.get(key) ?? {
      reference: key,
      ...(hit?.digest ? { digest: hit.digest } : {}),
      status: hit ? ('reused' as const) : ('failed' as const),
      ...(hit ? {} : { error: 'no --results entry for this image' }),
      findings: hit ? hit.findings.length : 0,
      workloads: [],
    };
    (image.workloads as { resource: string; container: string; image: string }[]).push({
      resource: use.resource,
      container: use.container,
      image: use.image,
    });
    byImage.set(key, image);
    if (!hit) continue;
    for (const f of hit.findings) {
      findings.push({
        ...f,
        location: { ...f.location, resource: use.resource, container: use.container, image: use.image },
      } as Finding);
    }
  }
  for (const i of byImage.values()) {
    if (i.status === 'failed')
      errors.push({
        analyzer: PATHS_ANALYZER,
        path: i.reference,
        message: `no --results entry for this image (run by ${i.workloads.map((w) => w.resource).join(', ')}); its vulnerabilities are unknown`,
      });
  }
  return { findings, images: [...byImage.values()], errors };
}

/** `strata paths`: load, scan or read the images, analyse. */
export async function scanPaths(inputs: readonly string[], options: PathsOptions): Promise<ScanResult> {
  const results = options.results ? readImageResults(options.results) : undefined;
  const loaded = await loadKubeResources(inputs);
  options.onProgress?.(`paths: ${loaded.resources.length} resources`);
  let imageFindings: Finding[];
  let images: ClusterImage[];
  let errors: ScanError[];
  if (results) {
    ({ findings: imageFindings, images, errors } = attributeResults(loaded.resources, results));
  } else {
    const scanned = await scanClusterImages(loaded.resources, undefined, {
      ...(options.images ?? {}),
      scanners: ['vuln'],
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    imageFindings = scanned.findings;
    images = scanned.images;
    errors = scanned.errors;
  }
  const analysis = analyzePaths(loaded.resources, imageFindings, {
    ...(options.maxLateral !== undefined ? { maxLateral: options.maxLateral } : {}),
  });
  options.onProgress?.(`paths: ${analysis.workloads} workloads, ${analysis.paths} attack paths`);
  // an image that could not be scanned leaves its paths unknown: say so (a finding per workload), never "none"
  const failures = imageFindings.filter((f) => f.kind === 'exposure');
  return buildResult({
    target: { type: 'kubernetes', name: inputs.map((i) => (i === '-' ? 'stdin' : i)).join(' ') },
    findings: [...analysis.findings, ...failures],
    errors: [...loaded.errors, ...errors],
    metadata: { cluster: { images }, paths: { workloads: analysis.workloads, paths: analysis.paths } },
  });
}
