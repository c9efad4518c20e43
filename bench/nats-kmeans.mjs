/**
 * Throughput of `eddy kmeans --stream` through NATS JetStream (one and two workers) against the
 * same job from an NDJSON file: n points (default 1,000,000) of dimension 16 around 16 centres,
 * k = 16, mini-batches of 5,000. The points are published as messages of `--per-message` points
 * (`--format ndjson`, or `frame`: eddy's binary points frames). A NATS run's time is from the
 * workers' start until the shared model counts every point (seen by a watch of its key, which
 * the server pushes each version to: polling the bucket every 10 ms cost this process about
 * 0.2 s of CPU a run, taken from the two cores the workers and the server share), so their idle
 * timeout is not counted; CPU time is user + system of the workers. The rate after the first
 * commit leaves the workers' start (Node, modules, connecting) out: the points counted after
 * the model's first version over the time from it to the last. "Others" is the CPU the machine
 * spent on other processes during a run, in cores (from /proc/stat, less the workers', the
 * server's and this process's): a run with others near 0 had the two cores to itself.
 * The 1- and 2-worker runs of each run are a pair (in alternating order): the last line gives
 * each pair's walls, how many pairs 2 workers won, and the median of the pairs' speed-ups.
 * `--profile DIR` writes a CPU profile (node --cpu-prof) of the one-worker runs to DIR. Needs
 * nats-server (Debian's package) and a build (npm run build).
 *
 *   flock /work/tools/bench.lock node bench/nats-kmeans.mjs [--points N] [--per-message M]
 *     [--format ndjson|frame] [--runs R] [--profile DIR]
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  connectNats,
  encodePointsFrame,
  ensureStream,
  OnlineKMeansModel,
  openModelBucket,
  random,
  watchSharedModel,
} from '../dist/src/index.js';
import { natsJetStream } from '../dist/src/stream/nats/client.js';

const { values: flags } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    'per-message': { type: 'string', default: '5000' },
    format: { type: 'string', default: 'frame' },
    runs: { type: 'string', default: '3' },
    profile: { type: 'string' },
  },
});
if (!['ndjson', 'frame'].includes(flags.format)) throw new Error('--format is ndjson or frame');
const n = Number(flags.points);
const perMessage = Number(flags['per-message']);
const runs = Number(flags.runs);
const d = 16;
const k = 16;
const bin = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'bin.js');
const folder = mkdtempSync(join(tmpdir(), 'eddy-bench-nats-'));

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const port = await freePort();
writeFileSync(
  join(folder, 'server.conf'),
  `host: 127.0.0.1\nport: ${port}\njetstream { store_dir: "${join(folder, 'store')}" }\n`,
);
const server = spawn('nats-server', ['-c', join(folder, 'server.conf')], { stdio: 'ignore' });
const url = `nats://127.0.0.1:${port}`;

/** nats-server's CPU seconds so far (user + system, from /proc: clock ticks of 1/100 s). */
function serverCpu() {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
/** CPU seconds the whole machine has been busy (/proc/stat, clock ticks of 1/100 s). */
function machineBusy() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}
/** This process's CPU seconds so far. */
const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

/** Runs `node bin.js kmeans args` under /usr/bin/time; resolves with its CPU seconds. */
function worker(args, nodeOptions = []) {
  return new Promise((resolve, reject) => {
    const command = ['-f', '%U %S', process.execPath, ...nodeOptions, bin, 'kmeans', ...args];
    const child = spawn('/usr/bin/time', command, {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: folder,
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => {
      const match = /([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      if (code !== 0 || !match) reject(new Error(`worker failed (${code}): ${stderr}`));
      else {
        // A NATS worker's summary line: its commits and compare-and-set conflicts.
        const commits = /in (\d+) commits \((\d+) conflicts/.exec(stderr);
        resolve({
          cpu: Number(match[1]) + Number(match[2]),
          commits: commits ? Number(commits[1]) : 0,
          conflicts: commits ? Number(commits[2]) : 0,
        });
      }
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const connection = await connectNats({ servers: url });
  const rng = random(1);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniformIn(-100, 100)));
  writeFileSync(
    join(folder, 'init.json'),
    JSON.stringify({
      type: 'kmeans',
      centroids: centres.map((c) => c.map((x) => x + 5)),
      weights: centres.map(() => 0),
    }),
  );
  const lines = [];
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.integer(0, k)];
    const text = c.map((x) => (x + rng.normal()).toFixed(6));
    lines.push(`[${text.join(',')}]\n`);
    // The frames carry the same numbers as the file's text.
    for (let j = 0; j < d; j++) values[i * d + j] = Number(text[j]);
  }
  // In blocks: past about 3 million points the whole file is longer than a string can be.
  const file = openSync(join(folder, 'points.ndjson'), 'w');
  for (let i = 0; i < n; i += 100_000) writeSync(file, lines.slice(i, i + 100_000).join(''));
  closeSync(file);
  await ensureStream(connection, 'points');
  const js = natsJetStream().jetstream(connection);
  let pending = [];
  let payloadBytes = 0;
  for (let m = 0; m * perMessage < n; m++) {
    const payload =
      flags.format === 'frame'
        ? encodePointsFrame(values.subarray(m * perMessage * d, Math.min(n, (m + 1) * perMessage) * d), d)
        : lines.slice(m * perMessage, (m + 1) * perMessage).join('');
    payloadBytes = Math.max(
      payloadBytes,
      typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length,
    );
    pending.push(js.publish('points', payload, { msgID: `p-${m}` }));
    if (pending.length >= 16) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  const common = ['--k', String(k), '--batch-size', '5000', '--initial-model', 'init.json'];
  const results = { file: [], one: [], two: [] };
  const loads = [];
  const models = {};
  for (let run = 0; run < runs; run++) {
    loads.push(loadAverage());
    let started = performance.now();
    let machineBefore = machineBusy();
    let ownBefore = ownCpu();
    const file = await worker(['--stream', 'points.ndjson', ...common, '--model', 'file-model.json']);
    const fileSeconds = (performance.now() - started) / 1000;
    const fileOthers = (machineBusy() - machineBefore - file.cpu - (ownCpu() - ownBefore)) / fileSeconds;
    results.file.push({ seconds: fileSeconds, others: fileOthers, ...file });
    // The 1- and 2-worker runs of a run are a pair, in alternating order, so that neither
    // always runs first (right after the file job) and a slow spell of the machine falls on
    // both of a pair rather than deciding the comparison.
    for (const workers of run % 2 === 0 ? [1, 2] : [2, 1]) {
      const group = `g${workers}-${run}`;
      const args = ['--stream', `${url}/points`, ...common, '--group', group, '--idle-timeout', '2000'];
      const location = { bucket: 'eddy-models', key: group };
      // The workers' bucket, made here (as they would) so that the key can be watched from their start.
      await openModelBucket(connection, location);
      const versions = watchSharedModel(connection, location);
      const serverBefore = serverCpu();
      machineBefore = machineBusy();
      ownBefore = ownCpu();
      started = performance.now();
      const profile = workers === 1 && flags.profile ? ['--cpu-prof', '--cpu-prof-dir', flags.profile] : [];
      const ends = Array.from({ length: workers }, () => worker(args, profile));
      let seconds = 0;
      let first;
      for await (const state of versions) {
        const model = state.model && OnlineKMeansModel.fromJSON(state.model);
        if (!model || model.recordsSeen === 0) continue;
        first ??= { at: performance.now(), records: model.recordsSeen };
        if (model.recordsSeen >= n) {
          seconds = (performance.now() - started) / 1000;
          models[workers] = model;
          break;
        }
      }
      const afterFirst = (n - first.records) / (started / 1000 + seconds - first.at / 1000);
      // The machine's CPU until the model was complete, less ours (the workers' is all of theirs,
      // their idle wait included, which costs next to nothing).
      const machine = machineBusy() - machineBefore;
      const own = ownCpu() - ownBefore;
      const serverUntil = serverCpu() - serverBefore;
      const done = await Promise.all(ends);
      const serverSeconds = serverCpu() - serverBefore;
      const total = (field) => done.reduce((sum, end) => sum + end[field], 0);
      const workersCpu = done.reduce((sum, end) => sum + end.cpu, 0);
      results[workers === 1 ? 'one' : 'two'].push({
        seconds,
        afterFirst,
        others: (machine - own - serverUntil - workersCpu) / seconds,
        cpu: total('cpu'),
        server: serverSeconds,
        commits: total('commits'),
        conflicts: total('conflicts'),
      });
    }
  }
  await connection.close();
  // The same job: the shared model of each run against the file job's (the same mini-batches).
  const fileModel = OnlineKMeansModel.fromJSON(
    JSON.parse(readFileSync(join(folder, 'file-model.json'), 'utf8')),
  );
  const difference = (model) =>
    Math.max(...Array.from(model.centroids, (x, i) => Math.abs(x - fileModel.centroids[i]))).toExponential(1);
  const row = (name, xs) => {
    const seconds = median(xs.map((x) => x.seconds));
    const cpu = median(xs.map((x) => x.cpu));
    const commits = median(xs.map((x) => x.commits));
    const conflicts = median(xs.map((x) => x.conflicts));
    // The server's CPU counts while the workers run (idle timeout included), none for the file job.
    const both = median(xs.map((x) => x.cpu + (x.server ?? 0)));
    const server = xs[0].server === undefined ? '' : median(xs.map((x) => x.server)).toFixed(2);
    const walls = xs.map((x) => x.seconds.toFixed(2)).join(' ');
    const afterFirst =
      xs[0].afterFirst === undefined
        ? ''
        : Math.round(median(xs.map((x) => x.afterFirst))).toLocaleString('en');
    const others = xs.map((x) => Math.max(0, x.others).toFixed(1)).join(' ');
    return `| ${name} | ${seconds.toFixed(2)} | ${walls} | ${Math.round(n / seconds).toLocaleString('en')} | ${afterFirst} | ${cpu.toFixed(2)} | ${server} | ${Math.round(n / both).toLocaleString('en')} | ${commits} | ${conflicts} | ${others} |`;
  };
  console.log(
    `n = ${n}, d = ${d}, k = ${k}, ${flags.format} messages of ${perMessage} points (${payloadBytes} bytes at most), medians of ${runs} runs`,
  );
  console.log(
    `largest centroid difference from the file job's model: 1 worker ${difference(models[1])}, 2 workers ${difference(models[2])}`,
  );
  console.log(`load average (1 min) before each run: ${loads.join(' ')}; after: ${loadAverage()}`);
  console.log(
    '| job | wall s (median) | walls | points/s (wall) | points/s after the first commit | CPU s (workers) | CPU s (nats-server) | points per CPU s (workers + server) | commits | conflicts | others (cores), by run |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  console.log(row('NDJSON file, one process', results.file));
  console.log(row('JetStream, 1 worker', results.one));
  console.log(row('JetStream, 2 workers', results.two));
  const pairs = results.one.map((one, run) => [one, results.two[run]]);
  const wins = pairs.filter(([one, two]) => two.seconds < one.seconds).length;
  // Speed-ups: time per time for the walls, rate per rate after the first commit.
  const wallSpeedUp = median(pairs.map(([one, two]) => one.seconds / two.seconds));
  const rateSpeedUp = median(pairs.map(([one, two]) => two.afterFirst / one.afterFirst));
  console.log(
    `pairs (wall s, 1 worker / 2 workers): ${pairs.map(([one, two]) => `${one.seconds.toFixed(2)}/${two.seconds.toFixed(2)}`).join(' ')}; 2 workers faster in ${wins} of ${runs}; median speed-up of 2 workers over 1 in a pair: ${wallSpeedUp.toFixed(3)} (wall), ${rateSpeedUp.toFixed(3)} (after the first commit)`,
  );
} finally {
  server.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
}
