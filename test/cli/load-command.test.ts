import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { loadCommand } from '../../src/cli/load-command.js';

describe('loadCommand (what bin.ts loads for `eddy <command>`)', () => {
  it('finds every registered command in its own module, whatever it exports it as', async () => {
    for (const command of commands) {
      const loaded = await loadCommand(command.name);
      expect(loaded?.name).toBe(command.name);
      expect(loaded?.options).toEqual(command.options);
    }
  });

  it('leaves anything else to the whole registry', async () => {
    for (const name of [undefined, '--help', 'index', 'kmeans-stream', 'no-such-command', '../main']) {
      expect(await loadCommand(name)).toBeUndefined();
    }
  });
});
