/**
 * Throughput of `eddy kmeans --stream` through NATS JetStream (one and two workers) against the
 * same job from an NDJSON file: n points (default 1,000,000) of dimension 16 around 16 centres,
 * k = 16, mini-batches of 5,000. The points are published as messages of `--per-message` points
 * (NDJSON). A NATS run's time is from the workers' start until the shared model counts every
 * point (polled), so their idle timeout is not counted; CPU time is user + system of the workers.
 * Needs nats-server (Debian's package) and a build (npm run build).
 *
 *   flock /work/tools/bench.lock node bench/nats-kmeans.mjs [--points N] [--per-message M] [--runs R]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectNats, ensureStream, OnlineKMeansModel, random, readSharedModel } from '../dist/src/index.js';
import { natsJetStream } from '../dist/src/stream/nats/client.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    'per-message': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
  },
});
const n = Number(values.points);
const perMessage = Number(values['per-message']);
const runs = Number(values.runs);
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

/** Runs `node bin.js kmeans args` under /usr/bin/time; resolves with its CPU seconds. */
function worker(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', process.execPath, bin, 'kmeans', ...args], {
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
      else resolve(Number(match[1]) + Number(match[2]));
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
  for (let i = 0; i < n; i++) {
    const c = centres[rng.integer(0, k)];
    lines.push(`[${c.map((x) => (x + rng.normal()).toFixed(6)).join(',')}]\n`);
  }
  writeFileSync(join(folder, 'points.ndjson'), lines.join(''));
  await ensureStream(connection, 'points');
  const js = natsJetStream().jetstream(connection);
  let pending = [];
  for (let m = 0; m * perMessage < n; m++) {
    pending.push(
      js.publish('points', lines.slice(m * perMessage, (m + 1) * perMessage).join(''), { msgID: `p-${m}` }),
    );
    if (pending.length >= 16) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  const common = ['--k', String(k), '--batch-size', '5000', '--initial-model', 'init.json', '--quiet'];
  const results = { file: [], one: [], two: [] };
  for (let run = 0; run < runs; run++) {
    let started = performance.now();
    const fileCpu = await worker(['--stream', 'points.ndjson', ...common, '--model', 'file-model.json']);
    results.file.push({ seconds: (performance.now() - started) / 1000, cpu: fileCpu });
    for (const workers of [1, 2]) {
      const group = `g${workers}-${run}`;
      const args = ['--stream', `${url}/points`, ...common, '--group', group, '--idle-timeout', '2000'];
      started = performance.now();
      const ends = Array.from({ length: workers }, () => worker(args));
      let seconds = 0;
      for (;;) {
        const state = await readSharedModel(connection, { bucket: 'eddy-models', key: group }).catch(
          () => undefined,
        );
        if (state?.model && OnlineKMeansModel.fromJSON(state.model).recordsSeen >= n) {
          seconds = (performance.now() - started) / 1000;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const cpu = (await Promise.all(ends)).reduce((a, b) => a + b, 0);
      results[workers === 1 ? 'one' : 'two'].push({ seconds, cpu });
    }
  }
  await connection.close();
  const row = (name, xs) => {
    const seconds = median(xs.map((x) => x.seconds));
    const cpu = median(xs.map((x) => x.cpu));
    return `| ${name} | ${seconds.toFixed(2)} | ${Math.round(n / seconds).toLocaleString('en')} | ${cpu.toFixed(2)} | ${Math.round(n / cpu).toLocaleString('en')} |`;
  };
  console.log(`n = ${n}, d = ${d}, k = ${k}, ${perMessage} points per message, medians of ${runs} runs`);
  console.log('| job | wall s | points/s (wall) | CPU s (workers) | points per CPU s |');
  console.log('|---|---|---|---|---|');
  console.log(row('NDJSON file, one process', results.file));
  console.log(row('JetStream, 1 worker', results.one));
  console.log(row('JetStream, 2 workers', results.two));
} finally {
  server.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
}
