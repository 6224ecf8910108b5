// One line per goal, the format bench/run.mjs collects into the summary table (and the README's
// performance section):  GOAL <name>: <measured> (goal <op> <target>) ok|MISSED
//
//   goal('audit rules vs JSON.parse', 0.53, '>=', 0.5)            -> GOAL audit rules vs JSON.parse: 0.53 (goal >= 0.5) ok
//   goal('admission p99 at 1000 req/s', 16, '<=', 5, ' ms')       -> ... 16 ms (goal <= 5 ms) MISSED

/**
 * Prints the goal line and returns whether it was met.
 * @param {string} name what was measured (no colon)
 * @param {number} measured the measured value
 * @param {'<=' | '>=' | '<' | '>'} op how it compares to the target to be met
 * @param {number} target the goal
 * @param {string} [unit] appended to both numbers (' ms', 'x', ' MiB', ...)
 * @param {number} [digits] decimals of the measured value (default: 2 under 10, else 0)
 */
export function goal(name, measured, op, target, unit = '', digits) {
  const met =
    op === '<='
      ? measured <= target
      : op === '>='
        ? measured >= target
        : op === '<'
          ? measured < target
          : measured > target;
  const d = digits ?? (Math.abs(measured) < 10 ? 2 : 0);
  console.log(
    `GOAL ${name}: ${measured.toFixed(d)}${unit} (goal ${op} ${target}${unit}) ${met ? 'ok' : 'MISSED'}`,
  );
  return met;
}

/**
 * Parses a GOAL line back: { name, measured, goal, met } or undefined. Words after ok|MISSED (how it
 * was measured, e.g. `(CPU time: 0.50; median of 3 pairs)`) stay with the measured value.
 */
export function parseGoal(line) {
  const m = /^GOAL (.+?): (.+?) \(goal ([^)]+)\) (ok|MISSED)\b\s*(.*)$/.exec(line.trim());
  if (!m) return undefined;
  const how = m[5].replace(/^\((.*)\)$/, '$1').trim();
  return { name: m[1], measured: how ? `${m[2]} (${how})` : m[2], goal: m[3], met: m[4] === 'ok' };
}
