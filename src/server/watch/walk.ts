import type { ScanError } from '../../core/index.js';
import { ImageError, type RegistryClient } from '../../image/index.js';
import { globMatches } from '../../trust/index.js';
import type { RegistryWatchConfig, TagState } from './types.js';

/** distribution's repository name grammar (path components of lower-case alphanumerics and separators) */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
/** cosign signatures/attestations/SBOMs and OCI 1.1 referrer fallback tags: artifacts, not images */
const ARTIFACT_TAG = /^sha256-[0-9a-f]{64}(?:\.(?:sig|att|sbom))?$/;

/** Repositories walked at once, and HEAD requests at once within one repository. */
const REPO_CONCURRENCY = 4;
/** a catalog longer than this is refused (narrow the watch with `repositories` globs) */
export const MAX_REPOSITORIES = 100_000;
const TAG_CONCURRENCY = 8;

export interface Observed {
  readonly repositories: readonly string[];
  readonly tags: readonly TagState[];
  /** repositories that could not be read (their previous state is kept) */
  readonly failed: ReadonlySet<string>;
  readonly errors: readonly ScanError[];
}

/** `repositories` globs over repository names; none: all of them. */
export function repositoryWanted(config: Pick<RegistryWatchConfig, 'repositories'>, name: string): boolean {
  const globs = config.repositories ?? [];
  return globs.length === 0 || globs.some((g) => globMatches(g, name));
}

async function eachLimit<T>(items: readonly T[], limit: number, body: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await body(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * The registry as it is now: `/v2/_catalog` (paged) → each wanted repository's tags (paged) → each
 * tag's digest (HEAD of the manifest, `Docker-Content-Digest`). The catalog failing fails the run;
 * one repository failing is an `errors[]` entry and its tags are left as they were.
 */
export async function walkRegistry(client: RegistryClient, config: RegistryWatchConfig): Promise<Observed> {
  const listed = await client.catalog(config.registry, config.pageSize, MAX_REPOSITORIES);
  const errors: ScanError[] = [];
  const invalid = listed.filter((r) => !REPOSITORY.test(r));
  if (invalid.length > 0)
    errors.push({
      analyzer: 'watch/registry',
      message: `${invalid.length} repository names in the catalog are not valid names and were skipped (first: ${JSON.stringify(invalid[0]?.slice(0, 200))})`,
    });
  const repositories = listed.filter((r) => REPOSITORY.test(r) && repositoryWanted(config, r));
  const tags: TagState[] = [];
  const failed = new Set<string>();
  await eachLimit(repositories, REPO_CONCURRENCY, async (repository) => {
    const repo = { registry: config.registry, repository };
    try {
      const names = (await client.listTags(repo)).filter((t) => TAG.test(t) && !ARTIFACT_TAG.test(t));
      const found: TagState[] = [];
      await eachLimit(names, TAG_CONCURRENCY, async (tag) => {
        const d = await client.headManifest({ ...repo, tag });
        // deleted between the list and the HEAD: it is simply gone
        if (d) found.push({ repository, tag, digest: d.digest });
      });
      for (const t of found) tags.push(t);
    } catch (err) {
      if (!(err instanceof ImageError) || err.code === 'UNREACHABLE') throw err;
      failed.add(repository);
      errors.push({ analyzer: 'watch/registry', path: repository, message: err.message });
    }
  });
  if (repositories.length > 0 && failed.size === repositories.length)
    throw new ImageError(
      'REGISTRY_ERROR',
      `${config.registry}: no repository could be read: ${errors.at(-1)?.message}`,
    );
  tags.sort((a, b) => a.repository.localeCompare(b.repository) || a.tag.localeCompare(b.tag));
  errors.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? ''));
  return { repositories, tags, failed, errors };
}

export interface TagMove {
  readonly repository: string;
  readonly tag: string;
  readonly from: string;
  readonly to: string;
}

export interface TagDiff {
  /** the state to store: what was seen, plus the previous state of repositories that failed */
  readonly state: readonly TagState[];
  readonly moved: readonly TagMove[];
  /** digests this watch never saw before, each with a repository that holds it */
  readonly newDigests: readonly { readonly digest: string; readonly repository: string }[];
}

/** Compares a walk with the stored state of the watch. */
export function diffTags(previous: readonly TagState[], observed: Observed): TagDiff {
  const key = (t: { repository: string; tag: string }) => `${t.repository}:${t.tag}`;
  const before = new Map(previous.map((t) => [key(t), t.digest]));
  const known = new Set(previous.map((t) => t.digest));
  const state = [...observed.tags, ...previous.filter((t) => observed.failed.has(t.repository))];
  const moved: TagMove[] = [];
  const fresh = new Map<string, string>();
  for (const t of observed.tags) {
    const was = before.get(key(t));
    if (was !== undefined && was !== t.digest)
      moved.push({ repository: t.repository, tag: t.tag, from: was, to: t.digest });
    if (!known.has(t.digest) && !fresh.has(t.digest)) fresh.set(t.digest, t.repository);
  }
  return {
    state,
    moved,
    newDigests: [...fresh].map(([digest, repository]) => ({ digest, repository })),
  };
}
