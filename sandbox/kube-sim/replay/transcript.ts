// The recorded exchanges (../shared/reference/kube-api-transcripts, copied beside this file so
// a clone without the reference data still replays them): what was sent, what came back.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../repo-root.js';

export type RecordedRequest = { method: string; path: string; headers?: Record<string, string>; body?: unknown };
export type RecordedResponse = { status: number; headers: Record<string, string>; body?: unknown };
export type Transcript = {
  name: string;
  why: string;
  file: string;
  request: RecordedRequest;
  response: RecordedResponse;
};

export const TRANSCRIPTS_DIR = path.join(REPO_ROOT, 'sandbox', 'kube-sim', 'replay', 'transcripts');
export const REFERENCE_TRANSCRIPTS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'reference', 'kube-api-transcripts');

/** Every NN-name.json in a folder, in file order (the order they were recorded in). */
export function loadTranscripts(dir = TRANSCRIPTS_DIR): Transcript[] {
  return readdirSync(dir)
    .filter((f) => /^\d+-.*\.json$/.test(f))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Omit<Transcript, 'file'>) }));
}
