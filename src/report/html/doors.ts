import type { FindingKind } from '../../core/index.js';

/**
 * The four "doors" an attacker comes through, as the dashboard and the HTML report group findings:
 * every finding kind belongs to exactly one.
 */
export const DOORS = [
  { id: 'access', label: 'Misconfiguration & access', kinds: ['misconfiguration', 'rbac', 'audit'] },
  { id: 'exposure', label: 'API exposure', kinds: ['exposure'] },
  {
    id: 'image',
    label: 'Image: vulnerabilities, secrets, signatures',
    kinds: ['vulnerability', 'secret', 'signature'],
  },
  { id: 'network', label: 'Network', kinds: ['network', 'attack-path'] },
] as const satisfies readonly { id: string; label: string; kinds: readonly FindingKind[] }[];

export type DoorId = (typeof DOORS)[number]['id'];

export function doorOf(kind: FindingKind): DoorId {
  for (const d of DOORS) if ((d.kinds as readonly FindingKind[]).includes(kind)) return d.id;
  /* c8 ignore next */
  throw new Error(`finding kind ${kind} belongs to no door`);
}

/** The heading of each kind's table. */
export const KIND_LABELS: Readonly<Record<FindingKind, string>> = {
  vulnerability: 'Vulnerabilities',
  misconfiguration: 'Misconfigurations',
  secret: 'Secrets',
  rbac: 'RBAC risks',
  network: 'Network policy',
  exposure: 'API exposure',
  signature: 'Signatures',
  audit: 'Audit detections',
  'attack-path': 'Attack paths',
};
