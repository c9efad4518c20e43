import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeFileAtomically } from '../../src/core/atomic-file.js';
import { OutputError } from '../../src/core/errors.js';

const directory = () => mkdtempSync(join(tmpdir(), 'eddy-atomic-'));

describe('AtomicFile', () => {
  it('replaces the target on commit, and leaves only the target', async () => {
    const dir = directory();
    const target = join(dir, 'out.tsv');
    writeFileSync(target, 'old\n');
    const file = await AtomicFile.open(target);
    await file.write('new ');
    await file.write(new TextEncoder().encode('content\n'));
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    await file.commit();
    expect(readFileSync(target, 'utf8')).toBe('new content\n');
    expect(readdirSync(dir)).toEqual(['out.tsv']);
  });

  it('abort leaves the previous file as it was and no temporary file', async () => {
    const dir = directory();
    const target = join(dir, 'out.tsv');
    writeFileSync(target, 'old\n');
    const file = await AtomicFile.open(target);
    await file.write('half a');
    await file.abort();
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.tsv']);
  });

  it('refuses a missing directory and a directory target with an OutputError naming the path', async () => {
    const missing = join(directory(), 'no', 'such', 'x.tsv');
    const opening = AtomicFile.open(missing);
    await expect(opening).rejects.toBeInstanceOf(OutputError);
    await expect(opening).rejects.toMatchObject({
      file: missing,
      message: `cannot write ${missing}: no such directory`,
    });
    const dir = directory();
    const writing = writeFileAtomically(dir, 'x');
    await expect(writing).rejects.toBeInstanceOf(OutputError);
    await expect(writing).rejects.toMatchObject({
      file: dir,
      message: `cannot write ${dir}: it is a directory`,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes a device in place instead of renaming a file over the device node', async () => {
    await writeFileAtomically('/dev/null', 'discarded\n');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
