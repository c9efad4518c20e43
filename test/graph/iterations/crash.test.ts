import { describe, expect, it } from 'vitest';
import { crashAndResumeIteration } from '../../helpers/iteration-crash.js';

describe('a checkpointed graph iteration killed with SIGKILL under load', () => {
  it('resumes to the result of an uninterrupted run', async () => {
    const { output, expected } = (await crashAndResumeIteration('graph', 47)) as {
      output: { values: number[]; iterations: number };
      expected: { values: number[]; iterations: number };
    };
    expect(output.values).toEqual(expected.values);
    expect(output.iterations).toBe(50);
  }, 60_000);
});
