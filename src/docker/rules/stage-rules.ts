import { finalStage, imageFroms, imageParts } from './helpers.js';
import { BEST_PRACTICES, CIS_DOCKER, hadolint } from './refs.js';
import type { DockerfileHit, DockerfileRule } from './types.js';

const isRoot = (user: string) => {
  const name = user.split(':')[0]?.trim() ?? '';
  return name === 'root' || name === '0';
};

export const STAGE_RULES: readonly DockerfileRule[] = [
  {
    id: 'STRATA-DF-001',
    severity: 'HIGH',
    title: 'Image runs as root',
    rationale:
      'A process running as root in the container is root on the host if it escapes, and can modify the whole image filesystem.',
    remediation: 'Create an unprivileged user and end the final stage with USER <name or uid>.',
    references: [CIS_DOCKER, hadolint('DL3002')],
    check: (df) => {
      const last = finalStage(df);
      const from = last[0];
      if (!from) return [];
      const users = last.filter((i) => i.keyword === 'USER');
      const final = users[users.length - 1];
      if (!final)
        return [
          { instruction: from, line: from.line, message: 'the final stage sets no USER, so it runs as root' },
        ];
      return isRoot(final.args)
        ? [{ instruction: final, line: final.line, message: `the last USER is ${final.args}` }]
        : [];
    },
  },
  {
    id: 'STRATA-DF-002',
    severity: 'MEDIUM',
    title: 'Base image uses the latest tag or no tag',
    rationale: 'A moving base tag makes builds unreproducible and can pull in unreviewed changes.',
    remediation: 'FROM an explicit version tag, ideally with a digest.',
    references: [hadolint('DL3006'), hadolint('DL3007')],
    check: (df) =>
      imageFroms(df).flatMap(({ instruction, image }): DockerfileHit[] => {
        const p = imageParts(image);
        if (p.digest || (p.tag && p.tag !== 'latest')) return [];
        return [
          {
            instruction,
            line: instruction.line,
            message: `FROM ${image} ${p.tag ? 'uses the latest tag' : 'has no tag'}`,
          },
        ];
      }),
  },
  {
    id: 'STRATA-DF-003',
    severity: 'LOW',
    title: 'Base image is not pinned by digest',
    rationale: 'Only a digest guarantees the base image is the one that was reviewed and scanned.',
    remediation: 'FROM image:tag@sha256:<digest> (and let a bot update it).',
    references: [BEST_PRACTICES],
    check: (df) =>
      imageFroms(df).flatMap(({ instruction, image }): DockerfileHit[] => {
        const p = imageParts(image);
        return p.digest || !p.tag || p.tag === 'latest'
          ? []
          : [{ instruction, line: instruction.line, message: `FROM ${image} is not pinned by digest` }];
      }),
  },
  {
    id: 'STRATA-DF-004',
    severity: 'LOW',
    title: 'MAINTAINER is deprecated',
    rationale:
      'MAINTAINER has been deprecated for years; tools read the org.opencontainers.image.authors label instead.',
    remediation: 'Replace it with LABEL org.opencontainers.image.authors="...".',
    references: [hadolint('DL4000')],
    check: (df) =>
      df.instructions
        .filter((i) => i.keyword === 'MAINTAINER')
        .map((i) => ({ instruction: i, line: i.line, message: 'MAINTAINER is deprecated' })),
  },
  {
    id: 'STRATA-DF-005',
    severity: 'MEDIUM',
    title: 'Duplicate build stage name',
    rationale: 'With two stages of the same name, COPY --from and --target silently pick one of them.',
    remediation: 'Give every stage a unique name.',
    references: [hadolint('DL3024')],
    check: (df) => {
      const seen = new Set<string>();
      const hits: DockerfileHit[] = [];
      for (const stage of df.stages) {
        if (!stage.name) continue;
        if (seen.has(stage.name))
          hits.push({ line: stage.line, message: `stage name "${stage.name}" is used twice` });
        seen.add(stage.name);
      }
      return hits;
    },
  },
  {
    id: 'STRATA-DF-006',
    severity: 'MEDIUM',
    title: 'COPY --from refers to its own stage',
    rationale: 'A stage cannot copy from itself; the build fails or copies from an unexpected image.',
    remediation: 'Copy from an earlier stage or an image.',
    references: [hadolint('DL3023')],
    check: (df) =>
      df.instructions.flatMap((i): DockerfileHit[] => {
        const from = i.flags.from?.toLowerCase();
        const own = df.stages[i.stage];
        return i.keyword === 'COPY' && from && (from === own?.name || from === String(own?.index))
          ? [
              {
                instruction: i,
                line: i.line,
                message: `COPY --from=${i.flags.from} copies from its own stage`,
              },
            ]
          : [];
      }),
  },
];
