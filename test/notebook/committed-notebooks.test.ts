import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The notebooks are committed with the outputs of a clean run (`npm run notebooks:execute`),
 * so that they read well on their own; `npm run test:notebooks` re-executes them. This
 * checks the committed files: the project's kernel, every code cell run once and in order,
 * and nothing written to stderr (where tslab reports compile and runtime errors).
 */
const notebookDir = join(import.meta.dirname, '..', '..', 'notebooks');
const notebooks = readdirSync(notebookDir).filter((name) => name.endsWith('.ipynb'));

interface Cell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: { output_type: string; name?: string; text?: string | string[] }[];
}

describe('committed notebooks', () => {
  it('include the getting-started notebook', () => {
    expect(notebooks).toContain('00-getting-started.ipynb');
  });

  it.each(notebooks)('%s was executed in full by the eddy-tslab kernel without errors', (name) => {
    const notebook = JSON.parse(readFileSync(join(notebookDir, name), 'utf8'));
    expect(notebook.nbformat).toBe(4);
    expect(notebook.metadata.kernelspec.name).toBe('eddy-tslab');
    const code: Cell[] = notebook.cells.filter((cell: Cell) => cell.cell_type === 'code');
    expect(code.length).toBeGreaterThan(0);
    expect(code.map((cell) => cell.execution_count)).toEqual(code.map((_, i) => i + 1));
    for (const cell of code) {
      for (const output of cell.outputs ?? []) {
        expect(output.output_type).not.toBe('error');
        expect(output.name, [output.text ?? ''].flat().join('')).not.toBe('stderr');
      }
    }
    expect(code.some((cell) => (cell.outputs ?? []).length > 0)).toBe(true);
  });
});
