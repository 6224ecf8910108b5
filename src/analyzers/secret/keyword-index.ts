const ALPHABET = 256;

const foldAscii = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

/**
 * Aho-Corasick automaton over bytes, ASCII case-insensitive: one pass over a file tells which
 * keywords occur in it, before any regex runs and before the bytes are even decoded.
 */
export class KeywordIndex {
  readonly keywords: readonly string[];
  /** full DFA: next state = delta[state * 256 + byte] */
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
    this.delta = delta;
    this.outputs = outputs;
  }

  /** the keywords (lower-cased) that occur in `bytes` */
  find(bytes: Uint8Array): Set<string> {
    const found = new Set<string>();
    const { delta, outputs } = this;
    const wanted = this.keywords.length;
    let state = 0;
    for (let i = 0; i < bytes.length && found.size < wanted; i++) {
      state = delta[state * ALPHABET + foldAscii(bytes[i]!)]!;
      const out = outputs[state]!;
      for (let k = 0; k < out.length; k++) found.add(this.keywords[out[k]!]!);
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
  for (let byte = 0; byte < ALPHABET; byte++) {
    const child = trie[0]!.get(byte) ?? 0;
    delta[byte] = child;
    if (child !== 0) queue.push(child);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    outputs[state]!.push(...outputs[fail[state]!]!);
    for (let byte = 0; byte < ALPHABET; byte++) {
      const child = trie[state]!.get(byte);
      const viaFail = delta[fail[state]! * ALPHABET + byte]!;
      if (child === undefined) {
        delta[state * ALPHABET + byte] = viaFail;
      } else {
        delta[state * ALPHABET + byte] = child;
        fail[child] = viaFail;
        queue.push(child);
      }
    }
  }
  return { delta, outputs };
}
