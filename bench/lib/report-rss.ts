// Preloaded into a measured node process (`node --import`): on exit, writes its peak resident
// set size (the kernel's high-water mark, exact) to $HERDBOOK_BENCH_RSS_FILE, in KiB.
import { writeFileSync } from 'node:fs';

const file = process.env.HERDBOOK_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
