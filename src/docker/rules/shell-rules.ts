import { commands, lineOf, runHits, runs, shellOf } from './helpers.js';
import { BEST_PRACTICES, CIS_DOCKER, hadolint } from './refs.js';
import type { DockerfileHit, DockerfileRule } from './types.js';

/** RUN instructions (one hit each) where some command matches `use` and no command of the RUN matches `fix`. */
function missing(
  df: Parameters<DockerfileRule['check']>[0],
  use: RegExp,
  fix: RegExp,
  message: string,
): DockerfileHit[] {
  const hits: DockerfileHit[] = [];
  for (const i of runs(df)) {
    const shell = shellOf(i);
    if (use.test(shell) && !fix.test(shell)) hits.push({ instruction: i, line: lineOf(i, use), message });
  }
  return hits;
}

const APT_INSTALL = /\bapt(-get)?\s+(-\S+\s+)*install\b/;

export const SHELL_RULES: readonly DockerfileRule[] = [
  {
    id: 'STRATA-DF-014',
    severity: 'HIGH',
    title: 'Remote script piped into a shell',
    rationale:
      'curl | sh runs whatever the server (or anyone in the middle) sends, unverified, at build time.',
    remediation: 'Download to a file, verify its checksum or signature, then run it.',
    references: [BEST_PRACTICES],
    check: (df) =>
      runHits(
        df,
        /\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+)?(ba|z|k|da)?sh\b/,
        (m) => `RUN pipes ${m[1]} output into a shell`,
      ),
  },
  {
    id: 'STRATA-DF-015',
    severity: 'MEDIUM',
    title: 'Download with TLS verification disabled',
    rationale:
      'curl -k / wget --no-check-certificate accept any certificate, so a MITM controls what is installed.',
    remediation: 'Remove the flag and install the CA the server needs.',
    references: [BEST_PRACTICES],
    check: (df) =>
      runHits(
        df,
        /\b(curl\b[^\n|;&]*\s(-k|--insecure)\b|wget\b[^\n|;&]*\s--no-check-certificate\b|pip3?\s[^\n|;&]*--trusted-host\b)/,
        () => 'RUN downloads with TLS verification disabled',
      ),
  },
  {
    id: 'STRATA-DF-016',
    severity: 'MEDIUM',
    title: 'sudo used in RUN',
    rationale:
      'sudo has unpredictable TTY and signal behaviour and means the build runs as a user that can become root.',
    remediation: 'Switch USER to root for the step that needs it and back afterwards.',
    references: [hadolint('DL3004')],
    check: (df) =>
      runs(df).flatMap((i): DockerfileHit[] =>
        commands(shellOf(i)).some((c) => /^sudo\b/.test(c))
          ? [{ instruction: i, line: lineOf(i, /\bsudo\b/), message: 'RUN uses sudo' }]
          : [],
      ),
  },
  {
    id: 'STRATA-DF-017',
    severity: 'LOW',
    title: 'apt-get lists not removed',
    rationale:
      'The package lists stay in the layer: bigger images, and stale metadata for anyone who installs later.',
    remediation: 'End the same RUN with rm -rf /var/lib/apt/lists/* (or use a cache mount).',
    references: [BEST_PRACTICES, hadolint('DL3009')],
    check: (df) =>
      runs(df).flatMap((i): DockerfileHit[] => {
        const shell = shellOf(i);
        if (!/\bapt(-get)?\s+(-\S+\s+)*update\b/.test(shell) || /\/var\/lib\/apt\/lists/.test(shell))
          return [];
        if ((i.flags.mount ?? '').includes('/var/lib/apt')) return [];
        return [
          {
            instruction: i,
            line: lineOf(i, /\bupdate\b/),
            message: 'RUN runs apt-get update without removing /var/lib/apt/lists',
          },
        ];
      }),
  },
  {
    id: 'STRATA-DF-018',
    severity: 'LOW',
    title: 'apt-get install without --no-install-recommends',
    rationale: 'Recommended packages add size and attack surface the application does not need.',
    remediation: 'apt-get install -y --no-install-recommends <packages>.',
    references: [hadolint('DL3015')],
    check: (df) =>
      missing(
        df,
        APT_INSTALL,
        /--no-install-recommends|APT::Install-Recommends/,
        'apt-get install pulls recommended packages',
      ),
  },
  {
    id: 'STRATA-DF-019',
    severity: 'LOW',
    title: 'apt-get install without -y',
    rationale: 'Without -y the build waits for an answer and fails non-interactively.',
    remediation: 'apt-get install -y ...',
    references: [hadolint('DL3014')],
    check: (df) =>
      runs(df).flatMap((i): DockerfileHit[] =>
        commands(shellOf(i)).some(
          (c) => APT_INSTALL.test(c) && !/(\s-[a-zA-Z]*y[a-zA-Z]*\b|--yes|--assume-yes|-qq)/.test(c),
        )
          ? [
              {
                instruction: i,
                line: lineOf(i, /install/),
                message: 'apt-get install is not non-interactive (-y)',
              },
            ]
          : [],
      ),
  },
  {
    id: 'STRATA-DF-020',
    severity: 'LOW',
    title: 'apt-get install without pinned versions',
    rationale:
      'Unpinned packages make builds unreproducible; a rebuild may pull a different (vulnerable) version.',
    remediation: 'Pin versions: apt-get install -y package=1.2.3-1.',
    references: [hadolint('DL3008')],
    check: (df) =>
      runs(df).flatMap((i): DockerfileHit[] => {
        const unpinned = commands(shellOf(i))
          .filter((c) => APT_INSTALL.test(c))
          .flatMap((c) => c.replace(/^.*?\binstall\b/, '').split(/\s+/))
          .filter(
            (p) =>
              p &&
              !p.startsWith('-') &&
              !p.includes('=') &&
              !p.includes('$') &&
              !p.endsWith('.deb') &&
              p !== '\\',
          );
        return unpinned.length
          ? [
              {
                instruction: i,
                line: lineOf(i, /install/),
                message: `apt-get installs unpinned ${unpinned.join(', ')}`,
              },
            ]
          : [];
      }),
  },
  {
    id: 'STRATA-DF-021',
    severity: 'LOW',
    title: 'apk add without --no-cache',
    rationale: 'The apk index cache stays in the layer.',
    remediation: 'apk add --no-cache <packages>.',
    references: [hadolint('DL3019')],
    check: (df) =>
      missing(
        df,
        /\bapk\s+(-\S+\s+)*add\b/,
        /--no-cache|\/var\/cache\/apk/,
        'apk add keeps its cache in the layer',
      ),
  },
  {
    id: 'STRATA-DF-022',
    severity: 'LOW',
    title: 'yum/dnf install without cleaning the cache',
    rationale: 'The package cache stays in the layer.',
    remediation: 'End the same RUN with yum clean all (or dnf clean all) and rm -rf /var/cache/yum.',
    references: [hadolint('DL3032'), hadolint('DL3040')],
    check: (df) =>
      missing(
        df,
        /\b(yum|dnf|microdnf)\s+(-\S+\s+)*install\b/,
        /\b(yum|dnf|microdnf)\s+clean\s+all\b|\/var\/cache\/(yum|dnf)/,
        'yum/dnf install keeps its cache in the layer',
      ),
  },
  {
    id: 'STRATA-DF-023',
    severity: 'LOW',
    title: 'pip install without --no-cache-dir',
    rationale: 'pip keeps downloaded wheels in the layer.',
    remediation: 'pip install --no-cache-dir ... (or set PIP_NO_CACHE_DIR=1).',
    references: [hadolint('DL3042')],
    check: (df) => {
      const env = df.instructions.some(
        (i) => (i.keyword === 'ENV' || i.keyword === 'ARG') && /PIP_NO_CACHE_DIR/.test(i.args),
      );
      return env
        ? []
        : missing(
            df,
            /\bpip3?\s+(-\S+\s+)*install\b/,
            /--no-cache-dir|type=cache/,
            'pip install keeps its cache in the layer',
          );
    },
  },
  {
    id: 'STRATA-DF-024',
    severity: 'LOW',
    title: 'Distribution upgrade inside the image',
    rationale:
      'apt-get upgrade / dist-upgrade in a Dockerfile hides which packages changed; rebuild on a newer base image instead.',
    remediation: 'Update the base image tag or digest; install only the packages you need.',
    references: [CIS_DOCKER],
    check: (df) =>
      runHits(
        df,
        /\bapt(-get)?\s+(-\S+\s+)*(dist-upgrade|upgrade|full-upgrade)\b/,
        (m) => `RUN runs apt-get ${m[3]}`,
      ),
  },
  {
    id: 'STRATA-DF-025',
    severity: 'LOW',
    title: 'Pipe without pipefail',
    rationale:
      'In /bin/sh a failing command before | is ignored, so a failed download can still build an image.',
    remediation:
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"] before RUNs that pipe, or set -o pipefail in the RUN.',
    references: [hadolint('DL4006')],
    check: (df) => {
      const hits: DockerfileHit[] = [];
      let pipefail = false;
      for (const i of df.instructions) {
        if (i.keyword === 'FROM') pipefail = false;
        if (i.keyword === 'SHELL') pipefail = /pipefail/.test(i.args);
        if (i.keyword !== 'RUN' || pipefail || i.exec) continue;
        const shell = shellOf(i);
        if (/[^|]\|[^|]/.test(shell.replace(/"[^"]*"|'[^']*'/g, '')) && !/pipefail/.test(shell)) {
          hits.push({
            instruction: i,
            line: lineOf(i, /[^|]\|[^|]/),
            message: 'RUN pipes commands without pipefail',
          });
        }
      }
      return hits;
    },
  },
];
