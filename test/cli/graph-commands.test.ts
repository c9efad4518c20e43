// Expected values: test/fixtures/graph/*.references.json (networkx 2.8 and the Gelly ports of
// make_references.py); the CLI must print them with keys exactly as in the input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { fixturePath, references } from '../algorithms/graph/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const tempDirectory = useTempDirectories();

const lesmis = fixturePath('lesmis.tsv');
const rmat = fixturePath('rmat.tsv');
const expected = references('lesmis');

/** Output lines split at tabs. */
function rows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

describe('eddy graph commands print what networkx computes', () => {
  it('hits: key, hub, authority', async () => {
    const run = await runCli(['hits', lesmis, '--tolerance', '1e-14', '--max-iterations', '10000']);
    expect(run.code).toBe(0);
    const lines = rows(run.stdout);
    expect(lines).toHaveLength(expected.vertices);
    for (const [key, hub, authority] of lines) {
      expect(Math.abs(Number(hub) - expected.hits.hub[key])).toBeLessThan(1e-6);
      expect(Math.abs(Number(authority) - expected.hits.authority[key])).toBeLessThan(1e-6);
    }
  });

  it('components: weak by default (both algorithms), strong with --strong', async () => {
    const reference = references('rmat');
    const weak = await runCli(['components', rmat]);
    const gsa = await runCli(['components', rmat, '--algorithm', 'gather-sum-apply']);
    expect(gsa.stdout).toBe(weak.stdout);
    const labels = new Map(rows(weak.stdout).map(([key, label]) => [key, label]));
    for (const component of reference.weaklyConnectedComponents as string[][]) {
      const smallest = String(Math.min(...component.map(Number)));
      for (const key of component) expect(labels.get(key)).toBe(smallest);
    }
    const strong = rows((await runCli(['components', rmat, '--strong'])).stdout);
    expect(new Set(strong.map(([, label]) => label)).size).toBe(reference.stronglyConnectedComponents.length);
  });

  it('components --timings: the seconds of each phase on stderr, the same output', async () => {
    const plain = await runCli(['components', rmat]);
    const seconds = String.raw`\d+\.\d{3} s`;
    const phases = new RegExp(
      `^eddy components: read ${seconds}, link ${seconds}, labels ${seconds}, write ${seconds}\n$`,
    );
    // From the file (linked as read) and from stdin (read, then linked).
    for (const run of [
      await runCli(['components', rmat, '--timings']),
      await runCli(['components', '-', '--timings'], { stdin: readFileSync(rmat, 'utf8') }),
    ]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(plain.stdout);
      expect(run.stderr).toMatch(phases);
    }
    expect((await runCli(['components', rmat, '--strong', '--timings'])).stderr).toMatch(
      new RegExp(`^eddy components: read and components ${seconds}, write ${seconds}\n$`),
    );
  });

  it('components: the same labels at --parallelism 1, 2 and 3, from an edge list and a graph file', async () => {
    // 131,072 edges, sparse enough for many components: above the size where edges are linked
    // on several threads.
    const directory = tempDirectory('eddy-components-');
    const edges = join(directory, 'rmat16.tsv');
    const binary = join(directory, 'rmat16.eddy');
    const made = await runCli([
      'generate',
      'rmat',
      '--scale',
      '16',
      '--edge-factor',
      '2',
      '--seed',
      '3',
      '--output',
      edges,
    ]);
    expect(made.code).toBe(0);
    expect((await runCli(['convert', edges, binary])).code).toBe(0);
    const one = await runCli(['components', edges, '--parallelism', '1']);
    expect(one.code).toBe(0);
    expect(new Set(rows(one.stdout).map(([, label]) => label)).size).toBeGreaterThan(1);
    expect((await runCli(['components', edges, '--algorithm', 'gather-sum-apply'])).stdout).toBe(one.stdout);
    for (const parallelism of ['2', '3']) {
      for (const input of [edges, binary]) {
        const many = await runCli(['components', input, '--parallelism', parallelism]);
        expect(many.code).toBe(0);
        expect(many.stdout).toBe(one.stdout);
      }
    }
  });

  it('sssp: distances from --source, Infinity when unreachable, weighted on request', async () => {
    for (const [flags, distances] of [
      [[], expected.sssp.unit],
      [['--weighted', '--algorithm', 'gather-sum-apply'], expected.sssp.weighted],
    ] as const) {
      const run = await runCli(['sssp', lesmis, '--source', 'Valjean', ...flags]);
      for (const [key, distance] of rows(run.stdout)) {
        expect(Number(distance)).toBe(distances[key] ?? Number.POSITIVE_INFINITY);
      }
    }
  });

  it('label-propagation and community-detection', async () => {
    const propagation = await runCli(['label-propagation', lesmis]);
    for (const [key, label] of rows(propagation.stdout))
      expect(label).toBe(expected.labelPropagation.labels[key]);
    const { maxIterations, labels } = expected.communityDetection;
    const communities = await runCli([
      'community-detection',
      lesmis,
      '--max-iterations',
      String(maxIterations),
    ]);
    for (const [key, label] of rows(communities.stdout)) expect(label).toBe(labels[key]);
  });

  it('triangles: --count alone, else one line per triangle', async () => {
    const count = await runCli(['triangles', lesmis, '--count']);
    expect(count.stdout).toBe(`${expected.triangleCount}\n`);
    const listed = rows((await runCli(['triangles', lesmis])).stdout);
    expect(listed).toHaveLength(expected.triangleCount);
    const perVertex = new Map<string, number>();
    for (const triangle of listed)
      for (const key of triangle) perVertex.set(key, (perVertex.get(key) ?? 0) + 1);
    for (const [key, triangles] of Object.entries<number>(expected.triangles)) {
      expect(perVertex.get(key) ?? 0).toBe(triangles);
    }
  });

  it('clustering-coefficient: local lines, --average, --global', async () => {
    for (const [key, value] of rows((await runCli(['clustering-coefficient', lesmis])).stdout)) {
      expect(Number(value)).toBeCloseTo(expected.localClustering[key], 12);
    }
    const average = rows((await runCli(['clustering-coefficient', lesmis, '--average'])).stdout);
    expect(average[0][0]).toBe('average');
    expect(Number(average[0][1])).toBeCloseTo(expected.averageClustering, 12);
    const global = rows((await runCli(['clustering-coefficient', lesmis, '--global'])).stdout);
    expect(Number(global[0][1])).toBeCloseTo(expected.globalClustering, 12);
    const both = await runCli(['clustering-coefficient', lesmis, '--global', '--average']);
    expect(both.code).toBe(2);
  });

  it('jaccard and adamic-adar with --minimum-score, as Arrow too', async () => {
    const reference = references('rmat');
    for (const [command, measure] of [
      ['jaccard', 'jaccard'],
      ['adamic-adar', 'adamicAdar'],
    ] as const) {
      const { minimumScore, scores } = reference[measure];
      const run = await runCli([command, rmat, '--minimum-score', String(minimumScore)]);
      const lines = rows(run.stdout);
      expect(lines).toHaveLength(Object.keys(scores).length);
      for (const [a, b, score] of lines) {
        const pair = [a, b].sort().join('\t');
        expect(Number(score)).toBeCloseTo(scores[pair], 12);
      }
    }
    const output = join(tempDirectory('eddy-jaccard-'), 'pairs.arrow');
    await runCli(['jaccard', lesmis, '--minimum-score', '0.9', '--output', output]);
    const table = tableFromIPC(readFileSync(output));
    expect(table.schema.fields.map((field) => field.name)).toEqual(['first', 'second', 'score']);
    expect(table.numRows).toBe(Object.values<number>(expected.jaccard.scores).filter((s) => s >= 0.9).length);
  });

  it('metrics: name<TAB>value lines', async () => {
    const figures = Object.fromEntries(rows((await runCli(['metrics', lesmis])).stdout));
    expect(Number(figures.vertexCount)).toBe(expected.vertices);
    expect(Number(figures.edgeCount)).toBe(expected.edges);
    expect(Number(figures.maximumOutDegree)).toBe(Math.max(...Object.values<number>(expected.outDegree)));
    expect(Number(figures.totalWeight)).toBeGreaterThan(0);
  });

  it('--undirected reads each line both ways', async () => {
    const run = await runCli(['sssp', '-', '--source', 'b', '--undirected'], { stdin: 'a\tb\nb\tc\n' });
    expect(run.stdout).toBe('a\t1\nb\t0\nc\t1\n');
  });
});

describe('eddy graph commands: a new user’s mistakes are one-line errors', () => {
  it('sssp without --source, with a --source not in the graph, on an empty graph', async () => {
    const missing = await runCli(['sssp', lesmis]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^eddy sssp: needs --source V.*\n$/);
    const unknown = await runCli(['sssp', lesmis, '--source', 'Nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      `eddy sssp: ${lesmis}: --source is not a vertex of the graph: got "Nobody", expected the key of a vertex, as written in the edge list\n`,
    );
    const empty = await runCli(['sssp', '-', '--source', '1'], { stdin: '' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(
      /^eddy sssp: <stdin>: --source is not a vertex.*expected a non-empty graph\n$/,
    );
  });

  it('wrong option, missing file and malformed line for every command', async () => {
    for (const command of ['hits', 'components', 'triangles', 'jaccard', 'metrics']) {
      const wrong = await runCli([command, lesmis, '--no-such-option']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr.trimEnd().split('\n')).toHaveLength(1);
      const missing = await runCli([command, 'missing.tsv']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/missing\.tsv: no such file/);
      const malformed = await runCli([command, '-'], { stdin: '1\t2\n1\t2\t3\t4\n' });
      expect(malformed.code).toBe(1);
      expect(malformed.stderr).toMatch(/<stdin>:2:\d+: too many columns/);
    }
  });
});
