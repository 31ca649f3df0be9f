import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../bin/cli/main.ts';

/** The README's command table is the truth: every command and option the CLI has is in it. */
describe('the README command table', () => {
  it('names every command, subcommand and option of the CLI in the rows of its command', async () => {
    // Prepare
    const readme = await readFile(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    const rows = readme.split('\n').filter((l) => l.startsWith('| `duban '));
    const program = await buildProgram();

    // Act
    const missing: string[] = [];
    for (const top of program.commands) {
      const own = rows.filter((r) => r.startsWith(`| \`duban ${top.name()}`)).join('\n');
      if (!own) missing.push(`duban ${top.name()}`);
      for (const leaf of top.commands.length > 0 ? top.commands : [top]) {
        if (leaf !== top && !own.includes(leaf.name())) missing.push(`duban ${top.name()} ${leaf.name()}`);
        for (const option of leaf.options) {
          if (option.long && !own.includes(option.long))
            missing.push(`duban ${top.name()} ${leaf.name()} ${option.long}`);
        }
      }
    }

    // Assess
    expect(missing).toEqual([]);
  });
});
