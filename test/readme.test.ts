/**
 * The README runs. Every ```ts block of README.md is a program that imports from 'eddy' (the
 * built package: node_modules/eddy links to this checkout, whose exports point at dist/, so run
 * `npm run build` first; `npm test` does). The conventions, for whoever edits the README:
 *
 * - A ```ts block is a whole ES module (top-level await allowed): it imports what it uses.
 * - What it prints (console.log, stdout) is the ```text block right after it (only blank lines
 *   between). A ```ts block with no ```text block after it must print nothing.
 * - ```ts continued: appended to the program of the ts block before it (same variables); its
 *   own ```text block is what this part prints.
 * - ```ts notebook: type-checked only (it needs a running Jupyter kernel).
 * - ```ts nats: type-checked only (it needs a running NATS server; test/nats runs the same API).
 * - Files come from the bundled data (`datasetPath('iris')`, `loadDataset('iris')`); a block
 *   runs in a temporary folder of its own, so what it writes there is thrown away.
 *
 * Every block is type-checked with `strict` as a user's project would compile it, then each
 * program runs in its own Node process (two at a time), compiled to JavaScript first.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

interface Part {
  /** 1-based line of the block's opening fence in README.md. */
  line: number;
  code: string;
  /** What the block prints: its ```text block, or '' when it has none. */
  expected: string;
}

interface Program {
  parts: Part[];
  /** Type-check only (a notebook or nats block). */
  notebook: boolean;
}

/** The README's programs, in order (a `ts continued` block joins the program before it). */
function readmePrograms(markdown: string): Program[] {
  const lines = markdown.split('\n');
  const programs: Program[] = [];
  let i = 0;
  const fenceEnd = (start: number): number => {
    let end = start + 1;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    if (end === lines.length) throw new Error(`README.md:${start + 1}: code block never closed`);
    return end;
  };
  while (i < lines.length) {
    const info = /^```ts(?:\s+(\S+))?\s*$/.exec(lines[i]);
    if (!info) {
      if (lines[i].startsWith('```')) i = fenceEnd(i);
      i++;
      continue;
    }
    const start = i;
    const end = fenceEnd(start);
    const code = lines.slice(start + 1, end).join('\n');
    let next = end + 1;
    while (next < lines.length && lines[next].trim() === '') next++;
    let expected = '';
    i = end + 1;
    if (lines[next] === '```text') {
      const outputEnd = fenceEnd(next);
      expected = lines.slice(next + 1, outputEnd).join('\n');
      i = outputEnd + 1;
    }
    const part = { line: start + 1, code, expected };
    const kind = info[1];
    if (kind === 'continued') {
      const previous = programs.at(-1);
      if (!previous)
        throw new Error(`README.md:${start + 1}: a 'ts continued' block with no ts block before it`);
      previous.parts.push(part);
    } else if (kind === undefined || kind === 'notebook' || kind === 'nats') {
      programs.push({ parts: [part], notebook: kind !== undefined });
    } else {
      throw new Error(
        `README.md:${start + 1}: unknown ts block kind '${kind}'; expected continued, notebook or nats`,
      );
    }
  }
  return programs;
}

/** A separator each part prints after itself, to cut the program's output into parts. */
const SEPARATOR = '\u241Ereadme-part\u241E';

function programSource(program: Program): string {
  return program.parts
    .map((part) => `${part.code}\nprocess.stdout.write(${JSON.stringify(`${SEPARATOR}\n`)});\n`)
    .join('');
}

const programs = readmePrograms(readFileSync(join(root, 'README.md'), 'utf8'));
// Under node_modules/ so that 'eddy' resolves to node_modules/eddy, as in a user's project.
const cacheFolder = join(root, 'node_modules', '.cache');
let folder = '';

beforeAll(() => {
  mkdirSync(cacheFolder, { recursive: true });
  folder = mkdtempSync(join(cacheFolder, 'readme-'));
  programs.forEach((program, p) => {
    const source = programSource(program);
    writeFileSync(join(folder, `block${p}.mts`), source);
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    mkdirSync(join(folder, `run${p}`));
    writeFileSync(join(folder, `block${p}.mjs`), js);
  });
});

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('README.md', () => {
  it('has ts blocks, each followed by what it prints', () => {
    expect(programs.length).toBeGreaterThanOrEqual(10);
    expect(
      programs.flatMap((p) => p.parts).filter((part) => part.expected !== '').length,
    ).toBeGreaterThanOrEqual(8);
  });

  it('every ts block type-checks with strict, importing the built package', () => {
    const files = programs.map((_, p) => join(folder, `block${p}.mts`));
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file || diagnostic.start === undefined) return message;
      const p = Number(/block(\d+)\.mts$/.exec(diagnostic.file.fileName)?.[1]);
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      // Map the line back to README.md: parts are joined with one extra line after each.
      let offset = line;
      for (const part of programs[p]?.parts ?? []) {
        const length = part.code.split('\n').length + 1;
        if (offset < length) return `README.md:${part.line + 1 + offset}: ${message}`;
        offset -= length;
      }
      return `${diagnostic.file.fileName}:${line + 1}: ${message}`;
    });
    expect(problems).toEqual([]);
  }, 120_000);

  it('every ts block prints what the README shows after it', async () => {
    const runnable = programs
      .map((program, p) => ({ program, p }))
      .filter(({ program }) => !program.notebook);
    const results: { line: number; actual: string; expected: string }[] = [];
    const failures: string[] = [];
    const runOne = async ({ program, p }: { program: Program; p: number }) => {
      try {
        const { stdout } = await run(process.execPath, [join(folder, `block${p}.mjs`)], {
          cwd: join(folder, `run${p}`),
          timeout: 60_000,
          maxBuffer: 1 << 24,
        });
        const outputs = stdout.split(`${SEPARATOR}\n`);
        program.parts.forEach((part, k) => {
          results.push({ line: part.line, actual: outputs[k].trimEnd(), expected: part.expected.trimEnd() });
        });
      } catch (error) {
        const { stderr, message } = error as { stderr?: string; message: string };
        failures.push(`README.md:${program.parts[0].line}: the block failed: ${stderr || message}`);
      }
    };
    // Two at a time: each is a process that loads eddy.
    const queue = [...runnable];
    await Promise.all(
      [0, 1].map(async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await runOne(next);
      }),
    );
    expect(failures).toEqual([]);
    results.sort((a, b) => a.line - b.line);
    for (const { line, actual, expected } of results) {
      expect(`README.md:${line}:\n${actual}`).toBe(`README.md:${line}:\n${expected}`);
    }
  }, 240_000);
});
