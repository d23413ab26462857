#!/usr/bin/env node
// The bundled CLI; `npm run build` produces it (tsc into dist/, then rolldown: see
// rolldown.config.mjs). No TypeScript compiler is loaded at run time.
// `herdbook --version` alone answers from package.json before the CLI is loaded: scripts and
// CI jobs call it to check the tool, and the whole CLI (its argument parser, error types and
// their dependencies) cost a third of a start for one line.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- plain JS: JSON.parse is any, and package.json has a version
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  await import('../dist/engine/herdbook.bundle.js');
}
