#!/usr/bin/env node
// The compiled CLI; `npm run build` produces dist/. No TypeScript compiler is loaded at run time.
import '../dist/engine/cli.js';
