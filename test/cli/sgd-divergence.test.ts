import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

describe('eddy linear-regression --solver sgd with a learning rate that overflows', () => {
  it('--learning-rate 1e100 is a runtime error naming the divergence, and no model of nulls is written', async () => {
    const model = join(mkdtempSync(join(tmpdir(), 'eddy-sgd-')), 'model.json');
    const run = await runCli([
      'linear-regression',
      'train',
      mlFixturePath('diabetes.csv'),
      '--label',
      'progression',
      '--solver',
      'sgd',
      '--learning-rate',
      '1e100',
      '--model',
      model,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /linear regression by SGD did not converge after 1 iterations: the coefficients diverged; lower learningRate \(1e\+100\)/,
    );
    expect(run.stdout).toBe('');
    expect(existsSync(model)).toBe(false);
  });
});
