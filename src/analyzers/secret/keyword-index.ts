const ALPHABET = 256;

const foldAscii = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

/**
 * Aho-Corasick automaton over bytes, ASCII case-insensitive: one pass over a file tells which
 * keywords occur in it, before any regex runs and before the bytes are even decoded.
 */
export class KeywordIndex {
  readonly keywords: readonly string[];
  /**
   * Full DFA, one row of 256 entries per state. An entry holds the next state's row offset
   * (state * 256), bit-inverted (negative) when that state ends a keyword: the hot loop does one
   * table load and one sign test per byte.
   */
  private readonly delta: Int32Array;
  /** keyword indexes that end in each state (its own and those of its suffix states) */
  private readonly outputs: readonly (readonly number[])[];

  constructor(keywords: readonly string[]) {
    this.keywords = [...new Set(keywords.map((k) => k.toLowerCase()).filter((k) => k.length > 0))];
    const trie: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    this.keywords.forEach((keyword, index) => {
      let state = 0;
      for (const byte of Buffer.from(keyword, 'utf8')) {
        const folded = foldAscii(byte);
        let next = trie[state]!.get(folded);
        if (next === undefined) {
          next = trie.length;
          trie.push(new Map());
          own.push([]);
          trie[state]!.set(folded, next);
        }
        state = next;
      }
      own[state]!.push(index);
    });
    const { delta, outputs } = buildAutomaton(trie, own);
    // fold case into the table itself: upper-case bytes move like their lower-case twins
    for (let state = 0; state < trie.length; state++) {
      const row = state * ALPHABET;
      delta.copyWithin(row + 0x41, row + 0x61, row + 0x7b);
    }
    // entries become row offsets, inverted where the target state emits
    for (let i = 0; i < delta.length; i++) {
      const target = delta[i]!;
      delta[i] = outputs[target]!.length > 0 ? ~(target * ALPHABET) : target * ALPHABET;
    }
    this.delta = delta;
    this.outputs = outputs;
  }

  /** the keywords (lower-cased) that occur in `bytes` */
  find(bytes: Uint8Array): Set<string> {
    const found = new Set<string>();
    const delta = this.delta;
    const length = bytes.length;
    let row = 0;
    for (let i = 0; i < length; i++) {
      const next = delta[row | bytes[i]!]!;
      if (next >= 0) {
        row = next;
        continue;
      }
      row = ~next;
      for (const k of this.outputs[row / ALPHABET]!) found.add(this.keywords[k]!);
      if (found.size === this.keywords.length) break;
    }
    return found;
  }
}

function buildAutomaton(
  trie: readonly Map<number, number>[],
  own: readonly number[][],
): { delta: Int32Array; outputs: number[][] } {
  const delta = new Int32Array(trie.length * ALPHABET);
  const fail = new Int32Array(trie.length);
  const outputs = own.map((o) => [...o]);
  const queue: number[] = [];
  for (const [byte, child] of trie[0]!) {
    delta[byte] = child;
    queue.push(child);
  }
  // breadth first: a state's row is its failure state's row (already complete) with its own
  // children written over it
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    const failRow = fail[state]! * ALPHABET;
    for (const item of outputs[fail[state]!]!) outputs[state]!.push(item);
    delta.copyWithin(state * ALPHABET, failRow, failRow + ALPHABET);
    for (const [byte, child] of trie[state]!) {
      fail[child] = delta[failRow + byte]!;
      delta[state * ALPHABET + byte] = child;
      queue.push(child);
    }
  }
  return { delta, outputs };
}
