import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FollowOptions {
  /** aborted: read what is already written, then end */
  readonly signal: AbortSignal;
  /** how often to look for appended bytes or a rotation (default 200 ms) */
  readonly pollMs?: number;
}

/** One file that was at the path: its bytes from the start, until it is rotated away (or the follow ends). */
export interface LogSegment {
  /** 0 for the file there at the start, then 1, 2... for each file that replaced it */
  readonly generation: number;
  readonly chunks: AsyncIterable<Buffer>;
}

const CHUNK = 1 << 20;

/**
 * `tail -F` for an audit log: every file that is at `path`, each from its first byte to its last.
 * A rotation (the file renamed or removed and a new one created at the path) ends the current segment
 * after its file is read to the end — bytes the writer appended just before the rename included — and
 * the next segment reads the new file from its start, so no byte is lost or read twice. A file
 * truncated in place (copytruncate) is read again from its start when a poll sees it shorter than
 * what was read (as with `tail -F`, bytes written between the copy and the truncation can be lost). Polls (`fs.watch` misses renames on
 * some file systems; a poll never does).
 */
export async function* followLog(path: string, options: FollowOptions): AsyncGenerator<LogSegment> {
  const pollMs = options.pollMs ?? 200;
  let handle: FileHandle | undefined = await open(path, constants.O_RDONLY);
  let generation = 0;
  try {
    while (handle) {
      const current: FileHandle = handle;
      const state = { next: undefined as FileHandle | undefined };
      yield { generation, chunks: readSegment(path, current, options.signal, pollMs, state) };
      await current.close().catch(() => undefined);
      handle = state.next;
      generation++;
    }
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function* readSegment(
  path: string,
  fh: FileHandle,
  signal: AbortSignal,
  pollMs: number,
  state: { next: FileHandle | undefined },
): AsyncGenerator<Buffer> {
  let pos = 0;
  let lastByte = 0x0a;
  const drain = async function* (): AsyncGenerator<Buffer> {
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      lastByte = buf[bytesRead - 1] as number;
      yield buf.subarray(0, bytesRead);
    }
  };
  for (;;) {
    yield* drain();
    if (signal.aborted) return;
    const own = await fh.stat();
    if (own.size < pos) {
      pos = 0; // truncated in place: the file starts over
      continue;
    }
    const replacement = await replacedBy(path, own);
    if (replacement) {
      // the writer has moved on: what it wrote to the old file before that is still to be read
      yield* drain();
      // a last line without its newline must not run into the new file's first line
      if (lastByte !== 0x0a) yield Buffer.from('\n');
      state.next = replacement;
      return;
    }
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
  }
}

/** The file now at `path` when it is no longer `own` (opened, so it cannot change under us again). */
async function replacedBy(path: string, own: Stats): Promise<FileHandle | undefined> {
  const now = await stat(path).catch(() => undefined);
  if (!now || (now.ino === own.ino && now.dev === own.dev)) return undefined;
  const fh = await open(path, constants.O_RDONLY).catch(() => undefined);
  if (!fh) return undefined;
  const opened = await fh.stat();
  if (opened.ino === own.ino && opened.dev === own.dev) {
    await fh.close();
    return undefined;
  }
  return fh;
}
