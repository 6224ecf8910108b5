import { commands, finalStage, lineOf, runs, shellOf } from './helpers.js';
import { BEST_PRACTICES, CIS_DOCKER, hadolint } from './refs.js';
import type { DockerfileHit, DockerfileRule } from './types.js';

const URL = /^(https?|ftp):\/\//i;
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|gz|bz2|xz|zst)$/i;
const SECRET_FILE =
  /(^|\/)(id_rsa|id_dsa|id_ecdsa|id_ed25519|\.env|\.npmrc|\.pypirc|\.netrc|\.git-credentials|credentials(\.json)?|\.aws\/credentials|[^/\s]+\.(pem|key|p12|pfx|jks))$/i;

/** Sources of a COPY/ADD (every argument but the destination). */
function sources(args: string, exec?: readonly string[]): string[] {
  const parts = exec ? [...exec] : args.split(/\s+/).filter(Boolean);
  return parts.slice(0, -1).filter((p) => !p.startsWith('<<'));
}

export const FILE_RULES: readonly DockerfileRule[] = [
  {
    id: 'STRATA-DF-007',
    severity: 'MEDIUM',
    title: 'ADD downloads from a URL without a checksum',
    rationale:
      'ADD fetches remote files without verifying them; a compromised server or MITM changes the image.',
    remediation: 'Use ADD --checksum=sha256:... or download with curl and verify a checksum in RUN.',
    references: [CIS_DOCKER, hadolint('DL3020')],
    check: (df) =>
      df.instructions.flatMap((i): DockerfileHit[] => {
        if (i.keyword !== 'ADD' || i.flags.checksum) return [];
        const url = sources(i.args, i.exec).find((s) => URL.test(s));
        return url
          ? [{ instruction: i, line: i.line, message: `ADD ${url} is not verified by a checksum` }]
          : [];
      }),
  },
  {
    id: 'STRATA-DF-008',
    severity: 'LOW',
    title: 'ADD used where COPY fits',
    rationale:
      'ADD auto-extracts archives and fetches URLs; for plain files that magic only hides surprises.',
    remediation: 'Use COPY for local files and directories.',
    references: [CIS_DOCKER, hadolint('DL3020')],
    check: (df) =>
      df.instructions.flatMap((i): DockerfileHit[] => {
        if (i.keyword !== 'ADD' || i.heredocs.length > 0) return [];
        const src = sources(i.args, i.exec);
        return src.length > 0 && src.every((s) => !URL.test(s) && !ARCHIVE.test(s) && !s.startsWith('git@'))
          ? [{ instruction: i, line: i.line, message: `ADD ${src.join(' ')} copies local files; use COPY` }]
          : [];
      }),
  },
  {
    id: 'STRATA-DF-009',
    severity: 'MEDIUM',
    title: 'World-writable permissions',
    rationale:
      'chmod 777 (or a+w) lets any user in the container change the files, including binaries that root later runs.',
    remediation:
      'Grant the narrowest mode the process needs (for example 755 for directories, 644 for files) and chown to the app user.',
    references: [BEST_PRACTICES],
    check: (df) => {
      const re = /\bchmod\s+(-[a-zA-Z]+\s+)*(0?[0-7]?7[0-7]7|[0-7]?777|[augo]*\+[rx]*w[rx]*|o\+w)\b/;
      const hits: DockerfileHit[] = [];
      for (const i of runs(df)) {
        const m = re.exec(shellOf(i));
        if (m)
          hits.push({
            instruction: i,
            line: lineOf(i, /chmod/),
            message: `RUN makes files world-writable (${m[0].trim()})`,
          });
      }
      for (const i of df.instructions) {
        const mode = i.flags.chmod;
        if (
          (i.keyword === 'COPY' || i.keyword === 'ADD') &&
          mode &&
          /^0?[0-7]?[0-7][0-7][2367]$/.test(mode)
        ) {
          hits.push({
            instruction: i,
            line: i.line,
            message: `${i.keyword} --chmod=${mode} is world-writable`,
          });
        }
      }
      return hits;
    },
  },
  {
    id: 'STRATA-DF-010',
    severity: 'HIGH',
    title: 'Secret file copied into the image',
    rationale:
      'Keys and credential files copied into a layer stay in the image history even if a later layer deletes them.',
    remediation:
      'Use RUN --mount=type=secret (BuildKit) or pass credentials at runtime; add the files to .dockerignore.',
    references: [CIS_DOCKER, 'https://docs.docker.com/build/building/secrets/'],
    check: (df) =>
      df.instructions.flatMap((i): DockerfileHit[] => {
        if (i.keyword !== 'COPY' && i.keyword !== 'ADD') return [];
        const bad = sources(i.args, i.exec).filter((s) => SECRET_FILE.test(s));
        return bad.length
          ? [
              {
                instruction: i,
                line: i.line,
                message: `${i.keyword} copies ${bad.join(', ')} into the image`,
              },
            ]
          : [];
      }),
  },
  {
    id: 'STRATA-DF-011',
    severity: 'LOW',
    title: 'WORKDIR is a relative path',
    rationale: 'A relative WORKDIR depends on every earlier WORKDIR and is easy to get wrong.',
    remediation: 'Use an absolute path: WORKDIR /app.',
    references: [hadolint('DL3000')],
    check: (df) =>
      df.instructions.flatMap((i): DockerfileHit[] => {
        const dir = i.args.trim().replace(/^["']|["']$/g, '');
        return i.keyword === 'WORKDIR' &&
          dir &&
          !dir.startsWith('/') &&
          !dir.startsWith('$') &&
          !/^[A-Za-z]:[\\/]/.test(dir)
          ? [{ instruction: i, line: i.line, message: `WORKDIR ${dir} is relative` }]
          : [];
      }),
  },
  {
    id: 'STRATA-DF-012',
    severity: 'LOW',
    title: 'cd used in RUN instead of WORKDIR',
    rationale:
      'cd in a RUN does not carry over to later instructions; WORKDIR states the intent and is visible in history.',
    remediation: 'Use WORKDIR to change directory.',
    references: [hadolint('DL3003')],
    check: (df) =>
      runs(df).flatMap((i): DockerfileHit[] =>
        commands(shellOf(i)).some((c) => /^cd\s+\S/.test(c))
          ? [{ instruction: i, line: lineOf(i, /(^|\s|&&|;)cd\s/), message: 'RUN uses cd; use WORKDIR' }]
          : [],
      ),
  },
  {
    id: 'STRATA-DF-013',
    severity: 'LOW',
    title: 'No HEALTHCHECK in the final stage',
    rationale: 'Without a health check the runtime cannot tell a hung service from a healthy one.',
    remediation:
      'Add HEALTHCHECK CMD <probe> (or HEALTHCHECK NONE to state that the orchestrator probes instead).',
    references: [CIS_DOCKER],
    check: (df) => {
      const last = finalStage(df);
      const from = last[0];
      return from && !last.some((i) => i.keyword === 'HEALTHCHECK')
        ? [{ instruction: from, line: from.line, message: 'the final stage has no HEALTHCHECK' }]
        : [];
    },
  },
];
