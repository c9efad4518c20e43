/**
 * Real NATS servers for the JetStream tests (Debian's `nats-server`, 2.9): each on free
 * loopback ports, with its JetStream storage in a temporary folder, killed and removed by
 * `stop()`. One server, or a three-server cluster whose streams can be replicated three times.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { connectNats, type NatsConnection } from '../../src/stream/nats/index.js';

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited (${child.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nats-server did not listen on ${port}: ${log()}`);
}

/** One nats-server process, which can be stopped and started again on the same ports and storage. */
export class NatsServer {
  readonly port: number;
  readonly url: string;
  private readonly config: string;
  private child: ChildProcess | undefined;
  private output = '';

  constructor(port: number, config: string) {
    this.port = port;
    this.url = `nats://127.0.0.1:${port}`;
    this.config = config;
  }

  async start(): Promise<void> {
    this.output = '';
    const child = spawn('nats-server', ['-c', this.config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.child = child;
    await waitForPort(this.port, child, () => this.output);
  }

  /** Kills the server (SIGKILL: no clean shutdown) and waits for it to be gone. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  get log(): string {
    return this.output;
  }
}

/**
 * A fresh folder for the servers' storage, on the memory file system where there is one: on a
 * loaded machine a disk's stalls would hold up the servers' JetStream requests, which the tests
 * would take for a failing server.
 */
function storageRoot(): string {
  try {
    return mkdtempSync('/dev/shm/eddy-nats-');
  } catch {
    return mkdtempSync(join(tmpdir(), 'eddy-nats-'));
  }
}

/** Servers started for a test, and the folder of their storage and configuration. */
export interface NatsServers {
  servers: NatsServer[];
  /** Every client URL, comma-separated, for `nats://a,b,c/subject` addresses. */
  urls: string[];
  /** Stops every server and removes the folder. */
  stop(): Promise<void>;
}

/**
 * Starts `count` servers with JetStream (one alone, or a cluster of three or more), each on
 * free loopback ports with storage under a temporary folder.
 */
export async function startNats(count = 1): Promise<NatsServers> {
  const root = storageRoot();
  const clientPorts: number[] = [];
  const clusterPorts: number[] = [];
  for (let i = 0; i < count; i++) {
    clientPorts.push(await freePort());
    clusterPorts.push(await freePort());
  }
  const servers = clientPorts.map((port, i) => {
    const lines = [
      `server_name: eddy-${i}`,
      'host: 127.0.0.1',
      `port: ${port}`,
      `jetstream { store_dir: "${join(root, `store-${i}`)}", max_memory_store: 256MB, max_file_store: 4GB }`,
    ];
    if (count > 1) {
      const routes = clusterPorts.map((p) => `nats-route://127.0.0.1:${p}`).join(', ');
      lines.push(`cluster { name: eddy, listen: "127.0.0.1:${clusterPorts[i]}", routes: [${routes}] }`);
    }
    const config = join(root, `server-${i}.conf`);
    writeFileSync(config, `${lines.join('\n')}\n`);
    return new NatsServer(port, config);
  });
  const started: NatsServer[] = [];
  const stop = async () => {
    await Promise.all(started.map((server) => server.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const server of servers) {
      await server.start();
      started.push(server);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { servers, urls: servers.map((server) => server.url), stop };
}

/**
 * One server and a connection to it for the tests of a file: started before them, closed and
 * stopped after. The returned object's fields are set once the tests run.
 */
export function useNatsServer(): { nats: NatsServers; connection: NatsConnection } {
  const shared = {} as { nats: NatsServers; connection: NatsConnection };
  beforeAll(async () => {
    shared.nats = await startNats(1);
    shared.connection = await connectNats({ servers: shared.nats.urls[0] });
  });
  afterAll(async () => {
    await shared.connection?.close();
    await shared.nats?.stop();
  });
  return shared;
}
