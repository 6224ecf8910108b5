import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { readInputText } from '../../core/safe-read.js';
import { parseWith } from '../../core/schema.js';
import { parsePssVersion } from '../../kube/index.js';
import { AdmissionError } from '../errors.js';
import { PolicyFile, type PolicyFileShape } from './schema.js';
import type { AdmissionPolicy, Exemption } from './types.js';

function exemptionOf(e: PolicyFileShape['exemptions'][number]): Exemption {
  return {
    ...(e.namespaces ? { namespaces: e.namespaces } : {}),
    ...(e.users ? { users: e.users } : {}),
    ...(e.groups ? { groups: e.groups } : {}),
    ...(e.images ? { images: e.images } : {}),
    ...(e.expires !== undefined
      ? { expires: e.expires instanceof Date ? e.expires : new Date(`${e.expires}T00:00:00Z`) }
      : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
  };
}

/** Parses an AdmissionPolicy document (YAML or JSON text); errors name `file: field`. */
export function parseAdmissionPolicy(text: string, file: string): AdmissionPolicy {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new AdmissionError(
      'INVALID_POLICY',
      `${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`,
    );
  }
  const p = parseWith(PolicyFile, doc ?? {}, file);
  const base = dirname(file);
  const v = p.images.vulnerabilities;
  return {
    file,
    mode: p.mode,
    failurePolicy: p.failurePolicy,
    timeoutSeconds: p.timeoutSeconds,
    podSecurity: {
      level: p.podSecurity.level,
      version: parsePssVersion(p.podSecurity.version),
      workloads: p.podSecurity.workloads,
    },
    rules: { denySeverity: p.rules.denySeverity },
    images: {
      ...(p.images.allowedRegistries ? { allowedRegistries: p.images.allowedRegistries } : {}),
      pinDigests: p.images.pinDigests,
      ...(p.images.verification
        ? {
            verification: isAbsolute(p.images.verification)
              ? p.images.verification
              : resolve(base, p.images.verification),
          }
        : {}),
      ...(v
        ? {
            vulnerabilities: {
              denySeverity: v.denySeverity,
              ignoreUnfixed: v.ignoreUnfixed,
              ...(v.db ? { db: isAbsolute(v.db) ? v.db : resolve(base, v.db) } : {}),
            },
          }
        : {}),
      cacheSeconds: p.images.cacheSeconds,
    },
    exemptions: p.exemptions.map(exemptionOf),
  };
}

/** Reads and parses the `--policy` file. */
export function loadAdmissionPolicy(file: string): AdmissionPolicy {
  return parseAdmissionPolicy(readInputText(file, { kind: 'policy' }), file);
}
