import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './parse.js';

describe('Dockerfile parser', () => {
  it('reads directives only at the top', () => {
    const df = parseDockerfile(
      '# syntax=docker/dockerfile:1.7\n# escape=`\n# check=skip=all\n\nFROM alpine\n# escape=\\\n',
    );
    expect(df.directives).toEqual({ syntax: 'docker/dockerfile:1.7', escape: '`', check: 'skip=all' });
    expect(df.instructions.map((i) => [i.keyword, i.line])).toEqual([['FROM', 5]]);
  });

  it('stops reading directives at the first comment, blank line or instruction', () => {
    expect(parseDockerfile('# a comment\n# escape=`\nFROM x\n').directives.escape).toBe('\\');
    expect(parseDockerfile('FROM x\n# syntax=y\n').directives).toEqual({ escape: '\\' });
  });

  it('joins continuation lines, skipping comments and blank lines inside them, and keeps the line range', () => {
    const df = parseDockerfile(
      'FROM debian\nRUN apt-get update \\\n  # a comment\n  && apt-get install -y curl \\  \n\n  && rm -rf /var/lib/apt/lists/*\nUSER app\n',
    );
    const run = df.instructions[1];
    expect(run).toMatchObject({ keyword: 'RUN', line: 2, endLine: 6 });
    expect(run?.args).toBe('apt-get update   && apt-get install -y curl   && rm -rf /var/lib/apt/lists/*');
    expect(df.instructions[2]).toMatchObject({ keyword: 'USER', line: 7, args: 'app' });
  });

  it('uses the backtick as continuation when the escape directive says so', () => {
    const df = parseDockerfile(
      '# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n  && echo done\n',
    );
    expect(df.instructions[1]).toMatchObject({ args: 'dir c:\\   && echo done', line: 3, endLine: 4 });
  });

  it('reads heredocs, several per instruction, with <<- tab stripping and quoted names', () => {
    const df = parseDockerfile(
      'FROM alpine\nRUN <<EOF\nset -e\napk add curl\nEOF\nCOPY <<-"A" <<B /etc/\n\t\tline a\n\tA\nline b\nB\nCMD ["sh"]\n',
    );
    expect(df.instructions.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ['FROM', 1, 1],
      ['RUN', 2, 5],
      ['COPY', 6, 10],
      ['CMD', 11, 11],
    ]);
    expect(df.instructions[1]?.heredocs).toEqual([{ name: 'EOF', body: 'set -e\napk add curl', line: 3 }]);
    expect(df.instructions[2]?.heredocs).toEqual([
      { name: 'A', body: 'line a', line: 7 },
      { name: 'B', body: 'line b', line: 9 },
    ]);
    expect(df.instructions[3]?.exec).toEqual(['sh']);
  });

  it('reads flags and multi-stage builds', () => {
    const df = parseDockerfile(
      'ARG V=1\nFROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nRUN --mount=type=cache,target=/root/.cache --network=none go build\nFROM gcr.io/distroless/static\nCOPY --from=build --chown=65532:65532 /out /app\n',
    );
    expect(df.stages).toEqual([
      { index: 0, base: 'golang:1.22', name: 'build', line: 2 },
      { index: 1, base: 'gcr.io/distroless/static', line: 4 },
    ]);
    expect(df.instructions.map((i) => i.stage)).toEqual([-1, 0, 0, 1, 1]);
    expect(df.instructions[2]?.flags).toEqual({ mount: 'type=cache,target=/root/.cache', network: 'none' });
    expect(df.instructions[4]).toMatchObject({
      flags: { from: 'build', chown: '65532:65532' },
      args: '/out /app',
    });
  });

  it('keeps CRLF files and a final continuation at end of file', () => {
    const df = parseDockerfile('FROM a\r\nRUN echo \\\r\n');
    expect(df.instructions.map((i) => [i.keyword, i.args, i.line, i.endLine])).toEqual([
      ['FROM', 'a', 1, 1],
      ['RUN', 'echo', 2, 2],
    ]);
  });
});
