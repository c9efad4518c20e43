#!/usr/bin/env node
import { main } from './main.js';

// Let a closed pipe (`eddy ... | head`) end the process quietly instead of throwing EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
