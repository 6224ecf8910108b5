// mulberry32, so every bench run builds the same input from its --seed (the benches' copy of
// src/core/testing/prng.ts, which is not built into dist/).

/** A seeded PRNG: () => a number in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
