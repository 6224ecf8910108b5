import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../parse/index.js';
import { DOCKERFILE_RULES } from './registry.js';
import { checkDockerfile, scanDockerfileText } from './scan.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
const run = (id: string, text: string) =>
  checkDockerfile(
    parseDockerfile(text),
    'Dockerfile',
    DOCKERFILE_RULES.filter((r) => r.id === id),
  ).map((f) => f.location.line);

const OK = 'FROM alpine:3.20@sha256:abc\nUSER app\nHEALTHCHECK CMD ["true"]\n';

// [rule, Dockerfile that breaks it, lines the findings point at, a variant that satisfies it]
const CASES: readonly [string, string, number[], string][] = [
  ['STRATA-DF-001', 'FROM alpine:3.20\nRUN id\n', [1], 'FROM alpine:3.20\nUSER 10001\n'],
  [
    'STRATA-DF-001',
    'FROM alpine:3.20\nUSER app\nUSER root:root\n',
    [3],
    'FROM alpine:3.20\nUSER root\nUSER app\n',
  ],
  [
    'STRATA-DF-002',
    'FROM node AS build\nFROM build\nFROM nginx:latest\n',
    [1, 3],
    'FROM node:20\nFROM scratch\n',
  ],
  ['STRATA-DF-003', 'FROM node:20\n', [1], 'FROM node:20@sha256:abc\nFROM $BASE\n'],
  ['STRATA-DF-004', `${OK}MAINTAINER me\n`, [4], OK],
  ['STRATA-DF-005', 'FROM a:1 AS x\nFROM b:1 as X\n', [2], 'FROM a:1 AS x\nFROM b:1 AS y\n'],
  [
    'STRATA-DF-006',
    'FROM a:1 AS x\nCOPY --from=x /a /b\n',
    [2],
    'FROM a:1 AS x\nFROM b:1\nCOPY --from=x /a /b\n',
  ],
  [
    'STRATA-DF-007',
    'FROM a:1\nADD https://e.com/f.bin /f\n',
    [2],
    'FROM a:1\nADD --checksum=sha256:00 https://e.com/f.bin /f\n',
  ],
  [
    'STRATA-DF-008',
    'FROM a:1\nADD app.py /app/\n',
    [2],
    'FROM a:1\nADD rootfs.tar.gz /\nCOPY app.py /app/\n',
  ],
  [
    'STRATA-DF-009',
    'FROM a:1\nRUN mkdir /d && \\\n  chmod -R 777 /d\nCOPY --chmod=777 a /a\n',
    [3, 4],
    'FROM a:1\nRUN chmod 755 /d\n',
  ],
  [
    'STRATA-DF-010',
    'FROM a:1\nCOPY .env id_rsa server.key /app/\n',
    [2],
    'FROM a:1\nCOPY env.example /app/\n',
  ],
  ['STRATA-DF-011', 'FROM a:1\nWORKDIR app\n', [2], 'FROM a:1\nWORKDIR /app\nWORKDIR $HOME\n'],
  ['STRATA-DF-012', 'FROM a:1\nRUN cd /src && make\n', [2], 'FROM a:1\nWORKDIR /src\nRUN make\n'],
  ['STRATA-DF-013', 'FROM a:1 AS b\nHEALTHCHECK CMD true\nFROM c:1\n', [3], 'FROM c:1\nHEALTHCHECK NONE\n'],
  [
    'STRATA-DF-014',
    'FROM a:1\nRUN wget -qO- https://x.sh | sh\nRUN curl -L https://y | sudo bash -s\n',
    [2, 3],
    'FROM a:1\nRUN curl -o x.sh https://x.sh && sha256sum -c s && sh x.sh\n',
  ],
  ['STRATA-DF-015', 'FROM a:1\nRUN curl -k -o f https://x\n', [2], 'FROM a:1\nRUN curl -o f https://x\n'],
  ['STRATA-DF-016', 'FROM a:1\nRUN sudo make install\n', [2], 'FROM a:1\nRUN make install\n'],
  [
    'STRATA-DF-017',
    'FROM a:1\nRUN apt-get update && apt-get install -y x\n',
    [2],
    'FROM a:1\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
  ],
  [
    'STRATA-DF-018',
    'FROM a:1\nRUN apt-get install -y curl=8.0\n',
    [2],
    'FROM a:1\nRUN apt-get install -y --no-install-recommends curl=8.0\n',
  ],
  [
    'STRATA-DF-019',
    'FROM a:1\nRUN apt-get install --no-install-recommends curl=8.0\n',
    [2],
    'FROM a:1\nRUN apt-get -qq install curl=8.0\n',
  ],
  [
    'STRATA-DF-020',
    'FROM a:1\nRUN apt-get install -y curl jq=1.6\n',
    [2],
    'FROM a:1\nRUN apt-get install -y curl=8.0 ./local.deb\n',
  ],
  ['STRATA-DF-021', 'FROM a:1\nRUN apk add curl\n', [2], 'FROM a:1\nRUN apk add --no-cache curl\n'],
  [
    'STRATA-DF-022',
    'FROM a:1\nRUN yum install -y httpd\n',
    [2],
    'FROM a:1\nRUN yum install -y httpd && yum clean all\n',
  ],
  [
    'STRATA-DF-023',
    'FROM a:1\nRUN pip install flask\n',
    [2],
    'FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n',
  ],
  [
    'STRATA-DF-024',
    'FROM a:1\nRUN apt-get update && apt-get dist-upgrade -y\n',
    [2],
    'FROM a:1\nRUN apt-get update\n',
  ],
  [
    'STRATA-DF-025',
    'FROM a:1\nRUN curl -s https://x | tar x\n',
    [2],
    'FROM a:1\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -s https://x | tar x\n',
  ],
  [
    'STRATA-DF-026',
    'FROM a:1\nENV API_KEY=abcd1234 MODE=prod\nARG GITHUB_TOKEN\n',
    [2, 3],
    'FROM a:1\nENV MODE=prod TOKEN_FILE=\nENV API_KEY=$API_KEY_FROM_BUILD\n',
  ],
  ['STRATA-DF-027', 'FROM a:1\nEXPOSE 8080 22/tcp\n', [2], 'FROM a:1\nEXPOSE 8080/tcp 443\n'],
  [
    'STRATA-DF-028',
    'FROM a:1\nCMD ["a"]\nCMD ["b"]\n',
    [3],
    'FROM a:1 AS x\nCMD ["a"]\nFROM b:1\nCMD ["b"]\n',
  ],
  ['STRATA-DF-029', 'FROM a:1\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n', [3], 'FROM a:1\nENTRYPOINT ["a"]\n'],
  ['STRATA-DF-030', 'FROM a:1\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b\n', [3], 'FROM a:1\nHEALTHCHECK CMD a\n'],
  ['STRATA-DF-031', 'FROM a:1\nCMD python app.py\n', [2], 'FROM a:1\nCMD ["python", "app.py"]\n'],
];

describe('Dockerfile rules', () => {
  it.each(CASES)('%s fires on the offending line(s)', (id, text, lines) => {
    expect(run(id, text)).toEqual(lines);
  });

  it.each(CASES)('%s stays quiet when the Dockerfile complies', (id, _text, _lines, good) => {
    expect(run(id, good)).toEqual([]);
  });

  it('finds nothing in a hardened multi-stage Dockerfile', () => {
    expect(scanDockerfileText(fixture('hardened.Dockerfile'), 'Dockerfile')).toEqual([]);
  });

  it('points each finding of a legacy Dockerfile at its line, inside continuations and heredocs', () => {
    const found = scanDockerfileText(fixture('legacy.Dockerfile'), 'legacy.Dockerfile').map(
      (f) => `${f.id}:${f.location.line}`,
    );
    expect(found.sort()).toEqual(
      [
        'STRATA-DF-001:1',
        'STRATA-DF-002:1',
        'STRATA-DF-004:2',
        'STRATA-DF-007:14',
        'STRATA-DF-008:15',
        'STRATA-DF-009:12',
        'STRATA-DF-010:16',
        'STRATA-DF-011:17',
        'STRATA-DF-012:11',
        'STRATA-DF-013:1',
        'STRATA-DF-014:8',
        'STRATA-DF-016:18',
        'STRATA-DF-017:5',
        'STRATA-DF-018:6',
        'STRATA-DF-019:6',
        'STRATA-DF-020:6',
        'STRATA-DF-023:18',
        'STRATA-DF-024:7',
        'STRATA-DF-025:8',
        'STRATA-DF-026:3',
        'STRATA-DF-026:4',
        'STRATA-DF-027:19',
        'STRATA-DF-028:21',
        'STRATA-DF-031:20',
      ].sort(),
    );
  });

  it('has at least 25 rules with unique ids, each tested', () => {
    const ids = DOCKERFILE_RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(25);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...new Set(CASES.map(([id]) => id))]).toEqual(ids);
  });
});
