#!/usr/bin/env node
/**
 * `npm run manage -- <command>` (node dist/src/cli.js): the management commands, Django's manage.py.
 * Runs from the built dist with production dependencies only. See src/commands/index.ts for the list.
 */
import 'reflect-metadata';
import { main } from './commands';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
  (code) => {
    // exitCode rather than exit(): stdout may still be flushing into a pipe.
    process.exitCode = code;
  },
);
