import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionScript, completionTree } from './completion.js';

function program(): Command {
  const root = new Command('strata').option('--config <file>');
  const db = root.command('db').description("the advisories' store");
  db.command('update').option('--offline').option('--mirror <url>');
  root.command('fs <dir>').option('-f, --format <f>').option('--no-include-dev');
  return root;
}

describe('completionTree', () => {
  it('lists every command path with its subcommands and flags', () => {
    const tree = completionTree(program());
    expect(tree.map((n) => n.path)).toEqual(['strata', 'strata db', 'strata db update', 'strata fs']);
    expect(tree[0]?.subcommands.map((s) => s.name)).toEqual(['db', 'fs']);
    const update = tree.find((n) => n.path === 'strata db update');
    expect(update?.flags.map((f) => [f.long, f.takesValue])).toEqual([
      ['--offline', false],
      ['--mirror', true],
      ['--help', false],
    ]);
  });
});

describe('completionScript', () => {
  it("quotes a description's apostrophe for each shell", () => {
    expect(completionScript(program(), 'fish')).toContain(`-a 'db' -d 'the advisories'\\'' store'`);
    expect(completionScript(program(), 'zsh')).toContain(`'db:the advisories'\\'' store'`);
    expect(completionScript(program(), 'zsh')).toContain(`'--config:'`);
  });

  it('refuses an unknown shell', () => {
    expect(() => completionScript(program(), 'tcsh')).toThrow('completion: unknown shell "tcsh"');
  });
});
