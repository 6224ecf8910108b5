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
  /** 1 where `outputs` is not empty, so the hot loop touches one typed array */
  private readonly emits: Uint8Array;

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
      for (let byte = 0x41; byte <= 0x5a; byte++)
        delta[state * ALPHABET + byte] = delta[state * ALPHABET + byte + 0x20]!;
    }
    this.delta = delta;
    this.outputs = outputs;
    this.emits = Uint8Array.from(outputs, (o) => (o.length > 0 ? 1 : 0));
  }

  /** the keywords (lower-cased) that occur in `bytes` */
  find(bytes: Uint8Array): Set<string> {
    const found = new Set<string>();
    const { delta, emits } = this;
    const length = bytes.length;
    let state = 0;
    for (let i = 0; i < length; i++) {
      state = delta[(state << 8) | bytes[i]!]!;
      if (emits[state] === 1) {
        for (const k of this.outputs[state]!) found.add(this.keywords[k]!);
        if (found.size === this.keywords.length) break;
      }
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
    for (const item of outputs[fail[state]!]!) outputs[state]!.push(item);
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
