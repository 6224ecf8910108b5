import {
  type ImageConfigEvidence,
  type MisconfigurationFinding,
  misconfigurationFinding,
} from '../../core/finding/index.js';
import type { Severity } from '../../core/severity.js';
import type { ImageConfig } from '../../image/index.js';
import { SECRET_NAME } from '../rules/helpers.js';
import { CIS_DOCKER } from '../rules/refs.js';

interface ImageRule {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly rationale: string;
  readonly remediation: string;
}

const RULES = {
  root: {
    id: 'STRATA-IMG-001',
    severity: 'HIGH',
    title: 'Image runs as root',
    rationale:
      'The image config sets no non-root user, so containers start as root unless the runtime overrides it.',
    remediation: 'Set USER to an unprivileged user in the final stage of the Dockerfile.',
  },
  adminPort: {
    id: 'STRATA-IMG-002',
    severity: 'MEDIUM',
    title: 'Image exposes an administrative port',
    rationale: 'SSH, Telnet, RDP, VNC or the Docker API inside an image are unmanaged ways in.',
    remediation: 'Remove the service and its EXPOSE.',
  },
  healthcheck: {
    id: 'STRATA-IMG-003',
    severity: 'LOW',
    title: 'Image has no healthcheck',
    rationale: 'Without a health check the runtime cannot tell a hung service from a healthy one.',
    remediation: 'Add a HEALTHCHECK (or HEALTHCHECK NONE when the orchestrator probes).',
  },
  secretEnv: {
    id: 'STRATA-IMG-004',
    severity: 'HIGH',
    title: 'Secret-like environment variable in the image config',
    rationale: 'Env values are stored in the image config; anyone who can pull the image reads them.',
    remediation: 'Inject secrets at runtime from the orchestrator or a secret store.',
  },
  remoteScript: {
    id: 'STRATA-IMG-005',
    severity: 'HIGH',
    title: 'Build step downloads and runs a remote script',
    rationale: 'A history step piped a download into a shell: what ran was never verified.',
    remediation: 'Download, verify a checksum or signature, then run.',
  },
  insecureDownload: {
    id: 'STRATA-IMG-006',
    severity: 'MEDIUM',
    title: 'Build step downloads with TLS verification disabled',
    rationale: 'curl -k / wget --no-check-certificate let anyone in the middle choose what was installed.',
    remediation: 'Remove the flag and trust the right CA.',
  },
} as const satisfies Record<string, ImageRule>;

const ADMIN_PORTS: Readonly<Record<string, string>> = {
  '22': 'SSH',
  '23': 'Telnet',
  '2375': 'Docker API',
  '2376': 'Docker API (TLS)',
  '3389': 'RDP',
  '5900': 'VNC',
};
const REMOTE_SCRIPT = /\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+)?(ba|z|k|da)?sh\b/;
const INSECURE = /\b(curl\b[^\n|;&]*\s(-k|--insecure)\b|wget\b[^\n|;&]*\s--no-check-certificate\b)/;

function finding(
  rule: ImageRule,
  target: string,
  message: string,
  evidence: Omit<ImageConfigEvidence, 'message' | 'remediation'>,
  layer?: string,
): MisconfigurationFinding {
  return misconfigurationFinding({
    id: rule.id,
    severity: rule.severity,
    title: rule.title,
    description: `${rule.rationale} (${message})`,
    location: { resource: target, ...(layer ? { layer } : {}) },
    evidence: { message, remediation: rule.remediation, ...evidence },
    references: [CIS_DOCKER],
  });
}

const isRootUser = (user: string | undefined) => {
  const name = (user ?? '').split(':')[0]?.trim() ?? '';
  return name === '' || name === 'root' || name === '0';
};

/**
 * Misconfigurations visible in an image's config: root user, admin ports, no healthcheck,
 * secret-like env values, and history steps that run unverified downloads. `target` names the
 * image (findings carry it as `location.resource`; history findings also carry the layer).
 */
export function checkImageConfig(config: ImageConfig, target: string): MisconfigurationFinding[] {
  const c = config.config;
  const out: MisconfigurationFinding[] = [];
  if (isRootUser(c?.User)) {
    out.push(
      finding(RULES.root, target, c?.User ? `User is "${c.User}"` : 'no User is set', {
        field: 'config.User',
      }),
    );
  }
  for (const port of Object.keys(c?.ExposedPorts ?? {}).sort()) {
    const service = ADMIN_PORTS[port.split('/')[0] ?? ''];
    if (service)
      out.push(
        finding(RULES.adminPort, target, `exposes ${port} (${service})`, {
          field: 'config.ExposedPorts',
          port,
        }),
      );
  }
  if (!c?.Healthcheck)
    out.push(finding(RULES.healthcheck, target, 'no Healthcheck is set', { field: 'config.Healthcheck' }));
  for (const entry of c?.Env ?? []) {
    const eq = entry.indexOf('=');
    const name = eq >= 0 ? entry.slice(0, eq) : entry;
    const value = eq >= 0 ? entry.slice(eq + 1) : '';
    if (SECRET_NAME.test(name) && value.length > 0) {
      out.push(finding(RULES.secretEnv, target, `Env ${name} has a value`, { field: 'config.Env', name }));
    }
  }
  const diffIds = config.rootfs?.diff_ids ?? [];
  let layerIndex = 0;
  (config.history ?? []).forEach((h, index) => {
    const layer = h.empty_layer ? undefined : diffIds[layerIndex];
    if (!h.empty_layer) layerIndex++;
    const step = h.created_by ?? '';
    const evidence = { field: `history[${index}].created_by`, createdBy: step };
    if (REMOTE_SCRIPT.test(step))
      out.push(
        finding(
          RULES.remoteScript,
          target,
          `history step ${index} pipes a download into a shell`,
          evidence,
          layer,
        ),
      );
    if (INSECURE.test(step))
      out.push(
        finding(
          RULES.insecureDownload,
          target,
          `history step ${index} disables TLS verification`,
          evidence,
          layer,
        ),
      );
  });
  return out;
}

export const IMAGE_CONFIG_RULES: readonly ImageRule[] = Object.values(RULES);
