import { describe, expect, it } from 'vitest';
import { commandPath, usageLine } from './usage-error.js';

describe('usageLine', () => {
  it('folds commander\'s lines into one "strata:" line naming the help', () => {
    expect(usageLine("error: unknown option '--forma'\n(Did you mean --format?)\n", 'strata image')).toBe(
      'strata: unknown option \'--forma\' (Did you mean --format?) (see "strata image --help")\n',
    );
  });

  it('strips terminal escapes a user typed into the argument', () => {
    const line = usageLine("error: unknown command 'x\u001b[31mred'\n", 'strata');
    expect(line).not.toContain('\u001b');
    expect(line.split('\n')).toHaveLength(2);
  });
});

describe('commandPath', () => {
  it('joins the names from the root down', () => {
    const root = { name: () => 'strata', parent: null };
    const db = { name: () => 'db', parent: root };
    expect(commandPath({ name: () => 'update', parent: db })).toBe('strata db update');
  });
});
