#!/usr/bin/env node
// The bundled CLI; `npm run build` produces it (tsc into dist/, then rolldown: see
// rolldown.config.mjs). No TypeScript compiler is loaded at run time.
import '../dist/engine/herdbook.bundle.js';
