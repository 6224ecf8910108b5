import { SECRET_NAME } from './helpers.js';
import { CIS_DOCKER, hadolint } from './refs.js';
import type { DockerfileHit, DockerfileRule } from './types.js';

/** `KEY=value` / `KEY value` pairs of ENV or ARG. */
function assignments(args: string, keyword: string): { key: string; value: string }[] {
  if (keyword === 'ENV' && !args.includes('=')) {
    const [key, ...rest] = args.trim().split(/\s+/);
    return key ? [{ key, value: rest.join(' ') }] : [];
  }
  const out: { key: string; value: string }[] = [];
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_.-]*)(?:=("[^"]*"|'[^']*'|\S*))?/g)) {
    out.push({ key: m[1] ?? '', value: (m[2] ?? '').replace(/^["']|["']$/g, '') });
  }
  return out;
}

function duplicates(keyword: 'CMD' | 'ENTRYPOINT' | 'HEALTHCHECK'): DockerfileRule['check'] {
  return (df) => {
    const hits: DockerfileHit[] = [];
    const seen = new Map<number, number>();
    for (const i of df.instructions) {
      if (i.keyword !== keyword) continue;
      const count = (seen.get(i.stage) ?? 0) + 1;
      seen.set(i.stage, count);
      if (count > 1)
        hits.push({
          instruction: i,
          line: i.line,
          message: `${keyword} appears more than once in the stage; only the last counts`,
        });
    }
    return hits;
  };
}

const ADMIN_PORTS: Readonly<Record<string, string>> = {
  '22': 'SSH',
  '23': 'Telnet',
  '2375': 'Docker API',
  '3389': 'RDP',
  '5900': 'VNC',
};

export const META_RULES: readonly DockerfileRule[] = [
  {
    id: 'STRATA-DF-026',
    severity: 'CRITICAL',
    title: 'Secret in ENV or ARG',
    rationale:
      'ENV values are stored in the image config and ARG values in its history: anyone who can pull the image reads them.',
    remediation:
      'Use RUN --mount=type=secret for build secrets and inject runtime secrets from the orchestrator.',
    references: [CIS_DOCKER, 'https://docs.docker.com/build/building/secrets/'],
    check: (df) =>
      df.instructions.flatMap((i): DockerfileHit[] => {
        if (i.keyword !== 'ENV' && i.keyword !== 'ARG') return [];
        const keys = assignments(i.args, i.keyword)
          .filter(
            ({ key, value }) =>
              SECRET_NAME.test(key) && (i.keyword === 'ARG' || (value.length > 0 && !value.startsWith('$'))),
          )
          .map(({ key }) => key);
        return keys.length
          ? [{ instruction: i, line: i.line, message: `${i.keyword} ${keys.join(', ')} holds a secret` }]
          : [];
      }),
  },
  {
    id: 'STRATA-DF-027',
    severity: 'MEDIUM',
    title: 'Administrative port exposed',
    rationale: 'SSH, Telnet, RDP, VNC or the Docker API in a container are unmanaged ways in.',
    remediation: 'Remove the service; use docker exec / kubectl exec for access.',
    references: [CIS_DOCKER],
    check: (df) =>
      df.instructions.flatMap((i): DockerfileHit[] => {
        if (i.keyword !== 'EXPOSE') return [];
        const ports = i.args
          .split(/\s+/)
          .map((p) => p.split('/')[0] ?? '')
          .filter((p) => ADMIN_PORTS[p]);
        return ports.map((p) => ({
          instruction: i,
          line: i.line,
          message: `EXPOSE ${p} (${ADMIN_PORTS[p]})`,
        }));
      }),
  },
  {
    id: 'STRATA-DF-028',
    severity: 'MEDIUM',
    title: 'Multiple CMD instructions',
    rationale: 'Only the last CMD of a stage takes effect; earlier ones mislead readers and reviewers.',
    remediation: 'Keep one CMD per stage.',
    references: [hadolint('DL4003')],
    check: duplicates('CMD'),
  },
  {
    id: 'STRATA-DF-029',
    severity: 'MEDIUM',
    title: 'Multiple ENTRYPOINT instructions',
    rationale: 'Only the last ENTRYPOINT of a stage takes effect.',
    remediation: 'Keep one ENTRYPOINT per stage.',
    references: [hadolint('DL4004')],
    check: duplicates('ENTRYPOINT'),
  },
  {
    id: 'STRATA-DF-030',
    severity: 'LOW',
    title: 'Multiple HEALTHCHECK instructions',
    rationale: 'Only the last HEALTHCHECK of a stage takes effect.',
    remediation: 'Keep one HEALTHCHECK per stage.',
    references: [hadolint('DL3012')],
    check: duplicates('HEALTHCHECK'),
  },
  {
    id: 'STRATA-DF-031',
    severity: 'LOW',
    title: 'CMD or ENTRYPOINT in shell form',
    rationale:
      'The shell form runs the process under /bin/sh -c, which does not forward signals: the container cannot stop gracefully.',
    remediation: 'Use the JSON (exec) form: CMD ["executable", "arg"].',
    references: [hadolint('DL3025')],
    check: (df) =>
      df.instructions.flatMap((i): DockerfileHit[] =>
        (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.exec && i.args.trim() !== ''
          ? [{ instruction: i, line: i.line, message: `${i.keyword} uses the shell form` }]
          : [],
      ),
  },
];
