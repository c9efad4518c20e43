/**
 * The binary graph file (issue 22): every graph of the test fixtures round-trips (keys,
 * weights, the CSR and the in-edge index), readEdgeList reads it like the edge list it came
 * from, and a truncated, corrupted or foreign file is a clear InputError. Properties
 * (fast-check) on the converter: any graph round-trips, and any truncation or flipped byte is
 * an error or leaves the graph exactly as written.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectedComponents } from '../../algorithms/graph/connected-components.js';
import { pageRank } from '../../algorithms/graph/pagerank/pagerank.js';
import { InputError } from '../../src/core/errors.js';
import { buildCsr, Csr } from '../../src/graph/csr.js';
import { readEdgeList } from '../../src/graph/edge-list-reader.js';
import {
  GRAPH_FILE_MAGIC,
  type GraphFileContents,
  isGraphFile,
  readGraphFile,
  readGraphFilePullIndex,
  streamGraphFileEdges,
  writeGraphFile,
} from '../../src/graph/graph-file.js';
import { VertexDictionary } from '../../src/graph/vertex-dictionary.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const tempDirectory = useTempDirectories();

const directory = tempDirectory('eddy-graph-file-');
const fixtures = new URL('../fixtures/graph/', import.meta.url).pathname;
let files = 0;
const scratch = () => join(directory, `g${files++}.eddy`);

/** Every array of `actual` equals that of `expected`, the in-edge index too when `inEdges`. */
function expectSameGraph(actual: GraphFileContents, expected: GraphFileContents, inEdges: boolean): void {
  expect(actual.dictionary.kind).toBe(expected.dictionary.kind);
  expect(actual.dictionary.keys()).toEqual(expected.dictionary.keys());
  expect(Array.from(actual.csr.offsets)).toEqual(Array.from(expected.csr.offsets));
  expect(Array.from(actual.csr.targets)).toEqual(Array.from(expected.csr.targets));
  if (expected.csr.weights === undefined) expect(actual.csr.weights).toBeUndefined();
  else expect(Array.from(actual.csr.weights!)).toEqual(Array.from(expected.csr.weights));
  expect(actual.csr.hasInEdges).toBe(inEdges);
  if (inEdges) {
    const [a, e] = [actual.csr.inEdges(), expected.csr.inEdges()];
    expect(Array.from(a.offsets)).toEqual(Array.from(e.offsets));
    expect(Array.from(a.sources)).toEqual(Array.from(e.sources));
    expect(Array.from(a.edgePositions)).toEqual(Array.from(e.edgePositions));
  }
  // Loaded into shared memory, for worker threads.
  expect(actual.csr.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
}

async function fixtureGraph(file: string): Promise<GraphFileContents> {
  const edges = await readEdgeList(join(fixtures, file));
  const { csr } = buildCsr(edges.dictionary.size, edges.sources, edges.targets, { weights: edges.weights });
  return { dictionary: edges.dictionary, csr };
}

const fixtureFiles = readdirSync(fixtures).filter((file) => file.endsWith('.tsv'));

describe('graph files round-trip every graph of the test fixtures', () => {
  it('finds the fixtures', () => {
    expect(fixtureFiles).toEqual(expect.arrayContaining(['lesmis.tsv', 'rmat.tsv', 'iteration-fixture.tsv']));
  });

  for (const file of fixtureFiles) {
    it(`${file}: keys, weights, CSR and in-edge index`, async () => {
      const graph = await fixtureGraph(file);
      for (const inEdges of [false, true]) {
        const path = scratch();
        await writeGraphFile(path, graph, { inEdges });
        expect(isGraphFile(path)).toBe(true);
        expectSameGraph(await readGraphFile(path), graph, inEdges);
      }
    });

    it(`${file}: readEdgeList reads the graph file as the edge list, in CSR order`, async () => {
      const graph = await fixtureGraph(file);
      const path = scratch();
      await writeGraphFile(path, graph);
      const edges = await readEdgeList(path);
      expect(edges.dictionary.keys()).toEqual(graph.dictionary.keys());
      expect(Array.from(edges.sources)).toEqual(Array.from(graph.csr.sources()));
      expect(Array.from(edges.targets)).toEqual(Array.from(graph.csr.targets));
      expect(edges.weights === undefined).toBe(graph.csr.weights === undefined);
      expect((await readEdgeList(path, { weighted: false })).weights).toBeUndefined();
    });
  }

  it('reads weights only when asked: false skips them, true requires them', async () => {
    const weighted = await fixtureGraph('lesmis.tsv');
    const path = scratch();
    await writeGraphFile(path, weighted);
    expect((await readGraphFile(path, { weighted: false })).csr.weights).toBeUndefined();
    const plain = scratch();
    await writeGraphFile(plain, {
      dictionary: weighted.dictionary,
      csr: new Csr(weighted.csr.offsets, weighted.csr.targets),
    });
    await expect(readGraphFile(plain, { weighted: true })).rejects.toThrow(/the graph file has no weights/);
  });
});

describe('readGraphFilePullIndex', () => {
  it('loads the in-edge index alone, its sources in segments, and PageRank over it is the same', async () => {
    for (const file of fixtureFiles) {
      const graph = await fixtureGraph(file);
      const path = scratch();
      await writeGraphFile(path, graph, { inEdges: true, offsets64: file === 'rmat.tsv' });
      const expected = graph.csr.inEdges();
      const outDegrees = Array.from(graph.csr.outDegrees());
      for (const segmentBytes of [undefined, 32768]) {
        const pull = await readGraphFilePullIndex(path, { segmentBytes });
        expect(pull).toBeDefined();
        const { dictionary, inEdges } = pull!;
        expect(dictionary.keys()).toEqual(graph.dictionary.keys());
        expect(Array.from(inEdges.offsets)).toEqual(Array.from(expected.offsets));
        expect(Array.from(inEdges.outDegrees)).toEqual(outDegrees);
        const sources = inEdges.sources.arrays.flatMap((part) => Array.from(part));
        expect(sources).toEqual(Array.from(expected.sources));
        if (segmentBytes !== undefined && expected.sources.length > 8192) {
          expect(inEdges.sources.arrays.length).toBeGreaterThan(1);
        }
        const options = { maxIterations: 15, tolerance: 0 };
        expect(Array.from(pageRank(pull!, options).values)).toEqual(
          Array.from(pageRank(graph, options).values),
        );
        expect(() => pageRank(pull!, { weighted: true })).toThrow(/an in-edge index with weights/);
      }
      const without = scratch();
      await writeGraphFile(without, graph);
      expect(await readGraphFilePullIndex(without)).toBeUndefined();
    }
  });

  it('is a clear error for a damaged file', async () => {
    const path = scratch();
    await writeGraphFile(path, await fixtureGraph('rmat.tsv'), { inEdges: true });
    const bytes = readFileSync(path);
    const cut = scratch();
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    await expect(readGraphFilePullIndex(cut)).rejects.toThrow(/truncated graph file/);
    // The in-edge sources are read and checked across segments: flip a byte among them.
    const flipped = Buffer.from(bytes);
    const at = bytes.indexOf('ISRC', 64, 'latin1') + 16 + 5;
    flipped[at] ^= 1;
    const damaged = scratch();
    writeFileSync(damaged, flipped);
    await expect(readGraphFilePullIndex(damaged, { segmentBytes: 32768 })).rejects.toThrow(
      /section ISRC is corrupted/,
    );
  });
});

describe('streamGraphFileEdges', () => {
  it('gives the targets in windows, and components over them; a damaged target is an InputError', async () => {
    const graph = await fixtureGraph('rmat.tsv');
    const path = scratch();
    await writeGraphFile(path, graph, { inEdges: true });
    const windows = await streamGraphFileEdges(path, {}, (edges) => {
      const parts: number[] = [];
      for (let first = 0; first < edges.edgeCount; first += 5000) {
        const window = new Int32Array(Math.min(5000, edges.edgeCount - first));
        edges.readTargets(window);
        parts.push(...window);
      }
      expect(() => edges.readTargets(new Int32Array(1))).toThrow(/32769 targets read of 32768/);
      return parts;
    });
    expect(windows).toEqual(Array.from(graph.csr.targets));
    const expected = Array.from(connectedComponents(graph).labels);
    const labels = await streamGraphFileEdges(path, {}, (edges) => connectedComponents(edges));
    expect(Array.from(labels.labels)).toEqual(expected);
    // Reading stopped short of the last target is an error, not a result from part of the edges.
    await expect(streamGraphFileEdges(path, {}, () => 0)).rejects.toThrow(/0 of the 32768 targets read/);
    const bytes = readFileSync(path);
    const targets = bytes.indexOf('CTGT', 64, 'latin1') + 16;
    const damaged = (change: (copy: Buffer) => void) => {
      const copy = Buffer.from(bytes);
      change(copy);
      const file = scratch();
      writeFileSync(file, copy);
      return streamGraphFileEdges(file, {}, (edges) => connectedComponents(edges));
    };
    await expect(damaged((copy) => (copy[targets + 40] ^= 1))).rejects.toThrow(
      /section CTGT is corrupted \(its checksum does not match\)/,
    );
    await expect(damaged((copy) => (copy[targets + 43] = 0x7f))).rejects.toThrow(
      /section CTGT holds \d+, not a vertex id below 2991/,
    );
    const cut = scratch();
    writeFileSync(cut, bytes.subarray(0, targets + 4 * 32768 - 100));
    const error = await streamGraphFileEdges(cut, {}, (edges) => connectedComponents(edges)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/truncated graph file: section CTGT needs \d+ more bytes/);
  });
});

describe('a damaged or foreign graph file is a clear error', () => {
  it('names a truncated file, with the bytes it lacks', async () => {
    const path = scratch();
    await writeGraphFile(path, await fixtureGraph('rmat.tsv'), { inEdges: true });
    const bytes = readFileSync(path);
    for (const length of [0, 7, 40, 64, 100, bytes.length >> 1, bytes.length - 1]) {
      const cut = scratch();
      writeFileSync(cut, bytes.subarray(0, length));
      const error = await readGraphFile(cut).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).file).toBe(cut);
      expect((error as Error).message).toMatch(
        length < 8 ? /not an eddy graph file/ : /truncated graph file/,
      );
    }
  });

  it('names the corrupted section, or the corrupted header', async () => {
    const path = scratch();
    await writeGraphFile(path, await fixtureGraph('lesmis.tsv'));
    const bytes = readFileSync(path);
    const flipped = (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] ^= 0x10;
      const file = scratch();
      writeFileSync(file, copy);
      return readGraphFile(file);
    };
    await expect(flipped(20)).rejects.toThrow(/the header is corrupted/);
    // The last 8 bytes of the file are weights (CWGT, the last section).
    await expect(flipped(bytes.length - 3)).rejects.toThrow(/section CWGT is corrupted/);
    await expect(flipped(64 + 16 + 2)).rejects.toThrow(/section KOFF is corrupted/);
  });

  it('refuses a foreign file, another version, and bytes after the end', async () => {
    await expect(readGraphFile(join(fixtures, 'lesmis.tsv'))).rejects.toThrow(
      /lesmis\.tsv: not an eddy graph file \(no EDDYGRPH magic\).*expected a file written by eddy convert/,
    );
    expect(isGraphFile(join(fixtures, 'lesmis.tsv'))).toBe(false);
    expect(isGraphFile(directory)).toBe(false);
    const path = scratch();
    await writeGraphFile(path, await fixtureGraph('iteration-fixture.tsv'));
    const bytes = readFileSync(path);
    const future = Buffer.from(bytes);
    future.writeUInt32LE(3, 8);
    const versioned = scratch();
    writeFileSync(versioned, future);
    await expect(readGraphFile(versioned)).rejects.toThrow(/graph file version 3.*expected version 1 or 2/);
    const longer = scratch();
    writeFileSync(longer, Buffer.concat([bytes, Buffer.alloc(8)]));
    await expect(readGraphFile(longer)).rejects.toThrow(/bytes after the last section/);
    await expect(readGraphFile(join(directory, 'missing.eddy'))).rejects.toThrow(/cannot open/);
  });

  it('refuses what a load cannot hold, naming the size, before allocating it', async () => {
    const path = scratch();
    await writeGraphFile(path, await fixtureGraph('lesmis.tsv'), { offsets64: true, inEdges: true });
    // A whole graph (its targets one typed array) holds at most 2^32 edges.
    const large = withHeader(readFileSync(path), (header) => header.writeBigUInt64LE(2n ** 32n + 1n, 24));
    await expect(readGraphFile(large)).rejects.toThrow(
      /: 4294967297 edges: a whole graph loads with at most 2\^32 \(4294967296\) edges, its targets being one typed array of 16\.0 GiB, .*PageRank reads the in-edge index/,
    );
    // 2^32 edges exactly are held whole: this file is only far too short for them.
    const most = withHeader(readFileSync(path), (header) => header.writeBigUInt64LE(2n ** 32n, 24));
    await expect(readGraphFile(most)).rejects.toThrow(
      /truncated graph file: the header says 4294967296 edges/,
    );
    // The in-edge index alone holds any edge count: this file is far too short for it.
    await expect(readGraphFilePullIndex(large)).rejects.toThrow(
      /truncated graph file: the header says 4294967297 edges, whose targets alone take 17179869188 bytes/,
    );
    // Vertex ids are int32.
    const wide = withHeader(readFileSync(path), (header) => header.writeBigUInt64LE(2n ** 31n, 16));
    await expect(readGraphFilePullIndex(wide)).rejects.toThrow(
      /2147483648 vertices and 254 edges: .* at most 2\^31 - 1 vertices \(this one would need 48\.0 GiB of memory\)/,
    );
    // 2^31 edges are held (uint32 offsets), but this file is far too short for them: refused
    // before any array is allocated.
    const short = withHeader(readFileSync(path), (header) => header.writeBigUInt64LE(2n ** 31n, 24));
    await expect(readGraphFile(short)).rejects.toThrow(
      /truncated graph file: the header says 2147483648 edges, whose targets alone take 8589934592 bytes, the file has \d+/,
    );
    const flagged = withHeader(readFileSync(path), (header) => header.writeUInt32LE(32 | 8 | 4 | 1, 12));
    await expect(readGraphFile(flagged)).rejects.toThrow(/unknown flags 45 for version 2/);
  });

  it('writes atomically: a graph file that cannot be written leaves no file behind', async () => {
    const graph = await fixtureGraph('iteration-fixture.tsv');
    await expect(writeGraphFile(join(directory, 'no', 'such', 'dir.eddy'), graph)).rejects.toThrow(
      /no[/\\]such[/\\]dir\.eddy/,
    );
    expect(readdirSync(directory).some((file) => file.includes('.tmp'))).toBe(false);
  });
});

/** A copy of the graph file `bytes` with its header changed by `change` (checksum remade), as a file. */
function withHeader(bytes: Buffer, change: (header: Buffer) => void): string {
  const copy = Buffer.from(bytes);
  change(copy);
  copy.writeUInt32LE(crc32(copy.subarray(0, 36)), 36);
  const file = scratch();
  writeFileSync(file, copy);
  return file;
}

/** A random graph: number or string keys, optional weights, multi-edges and loops. */
const graphArbitrary = fc
  .record({
    n: fc.integer({ min: 1, max: 40 }),
    strings: fc.boolean(),
    weighted: fc.boolean(),
    edges: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ noNaN: true })), { maxLength: 120 }),
    keys: fc.uniqueArray(fc.string({ minLength: 0, maxLength: 6 }), { minLength: 40, maxLength: 40 }),
    numbers: fc.uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true }), {
      minLength: 40,
      maxLength: 40,
    }),
  })
  .map(({ n, strings, weighted, edges, keys, numbers }) => {
    const dictionary = strings
      ? VertexDictionary.fromStrings(keys.slice(0, n))
      : VertexDictionary.fromKeys(numbers.slice(0, n).map((x) => (Object.is(x, -0) ? 0 : x)));
    const size = dictionary.size;
    const sources = Int32Array.from(edges, ([s]) => s % size);
    const targets = Int32Array.from(edges, ([, t]) => t % size);
    const weights = weighted ? Float64Array.from(edges, ([, , w]) => w) : undefined;
    return { dictionary, csr: buildCsr(size, sources, targets, { weights }).csr } as GraphFileContents;
  });

describe('graph file properties', () => {
  it('any graph round-trips, with and without its in-edge index, in 32- or 64-bit offsets', async () => {
    await fc.assert(
      fc.asyncProperty(graphArbitrary, fc.boolean(), fc.boolean(), async (graph, inEdges, offsets64) => {
        const path = scratch();
        await writeGraphFile(path, graph, { inEdges, offsets64 });
        const bytes = readFileSync(path);
        expect(bytes.readUInt32LE(12) & 8).toBe(offsets64 ? 8 : 0);
        expectSameGraph(await readGraphFile(path), graph, inEdges);
        if (!offsets64) {
          // Version 1 is version 2 without 64-bit offsets: still read.
          const older = withHeader(bytes, (header) => header.writeUInt32LE(1, 8));
          expectSameGraph(await readGraphFile(older), graph, inEdges);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('64-bit offsets are refused in a version 1 file', async () => {
    const path = scratch();
    await writeGraphFile(path, await fixtureGraph('iteration-fixture.tsv'), { offsets64: true });
    const older = withHeader(readFileSync(path), (header) => header.writeUInt32LE(1, 8));
    await expect(readGraphFile(older)).rejects.toThrow(/unknown flags 9 for version 1/);
  });

  it('a truncated file or a flipped byte is an InputError, or leaves the graph as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        graphArbitrary,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        fc.boolean(),
        async (graph, at, mask, cut, offsets64) => {
          const path = scratch();
          await writeGraphFile(path, graph, { inEdges: true, offsets64 });
          const bytes = Buffer.from(readFileSync(path));
          const position = at % bytes.length;
          const damaged = cut ? bytes.subarray(0, position) : bytes;
          if (!cut) damaged[position] ^= mask;
          writeFileSync(path, damaged);
          const outcome = await readGraphFile(path).catch((caught: unknown) => caught);
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(InputError);
            expect(outcome.message.startsWith(`${path}: `)).toBe(true);
          } else {
            // Only the header's reserved bytes and the sections' padding are not checked.
            expectSameGraph(outcome as GraphFileContents, graph, true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('starts with the magic and the version', async () => {
    const path = scratch();
    await writeGraphFile(path, await fixtureGraph('iteration-fixture.tsv'));
    const bytes = readFileSync(path);
    expect(bytes.toString('latin1', 0, 8)).toBe(GRAPH_FILE_MAGIC);
    expect(bytes.readUInt32LE(8)).toBe(2);
  });
});
