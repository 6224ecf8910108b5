import { appendFileSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followLog } from './follow.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Collects `generation:line` as the follower reads; each step runs once that many lines were read. */
async function follow(path: string, steps: Array<[number, () => void]>, lines: number): Promise<string[]> {
  const controller = new AbortController();
  const out: string[] = [];
  let text = '';
  let done = 0;
  const run = (async () => {
    for await (const seg of followLog(path, { signal: controller.signal, pollMs: 10 })) {
      for await (const chunk of seg.chunks) {
        text += chunk.toString();
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n')) {
          out.push(`${seg.generation}:${text.slice(0, nl)}`);
          text = text.slice(nl + 1);
        }
      }
    }
  })();
  const deadline = Date.now() + 5000;
  while (out.length < lines && Date.now() < deadline) {
    const step = steps[done];
    if (step && out.length >= step[0]) {
      done++;
      step[1]();
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  controller.abort();
  await run;
  return out;
}

describe('followLog', () => {
  it('reads a file removed and recreated (not renamed), and one truncated in place, each byte once', async () => {
    const p = join(dir, 'a.log');
    writeFileSync(p, 'one\ntwo\n');
    const out = await follow(
      p,
      [
        [2, () => appendFileSync(p, 'three\n')],
        [
          3,
          () => {
            unlinkSync(p);
            writeFileSync(p, 'four\n');
          },
        ],
        // copytruncate: seen when the follower polls before the file grows back past where it was
        [4, () => truncateSync(p, 0)],
        [4, () => setTimeout(() => appendFileSync(p, 'five\n'), 100)],
      ],
      5,
    );
    expect(out).toEqual(['0:one', '0:two', '0:three', '1:four', '1:five']);
  });

  it('ends at the abort after reading what was written, and never yields twice', async () => {
    const p = join(dir, 'b.log');
    writeFileSync(p, 'x\n');
    const controller = new AbortController();
    const seen: string[] = [];
    setTimeout(() => {
      appendFileSync(p, 'y\n');
      controller.abort();
    }, 50);
    for await (const seg of followLog(p, { signal: controller.signal, pollMs: 5 }))
      for await (const chunk of seg.chunks) seen.push(chunk.toString());
    expect(seen.join('')).toBe('x\ny\n');
  });
});
