#!/usr/bin/env node
import { main } from './main.js';

// A closed pipe (`eddy ... | head`) ends the process quietly; any other failure to write stdout
// (a full disk behind `> file`) is one line and exit code 1, not Node's stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`eddy: cannot write to standard output: ${error.message}\n`);
  process.exit(1);
});

process.exitCode = await main(process.argv.slice(2));
