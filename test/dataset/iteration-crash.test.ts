import { describe, expect, it } from 'vitest';
import { crashAndResumeIteration } from '../helpers/iteration-crash.js';

describe('a checkpointed DataSet iteration killed with SIGKILL under load', () => {
  it('resumes to the result of an uninterrupted run', async () => {
    const { output, expected } = (await crashAndResumeIteration('dataset', 31)) as {
      output: { result: number[]; report: { supersteps: number; resumedFrom?: number } };
      expected: { result: number[]; report: { supersteps: number } };
    };
    expect(output.result).toEqual(expected.result);
    expect(output.report.supersteps).toBe(50);
    expect(output.report.resumedFrom).toBeGreaterThan(0);
  }, 60_000);
});
