#!/usr/bin/env node
import { loadCommand } from './load-command.js';
import { main } from './main.js';

// Let a closed pipe (`eddy ... | head`) end the process quietly instead of throwing EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);
const command = await loadCommand(argv[0]);
process.exitCode = await main(argv, undefined, command === undefined ? undefined : [command]);
