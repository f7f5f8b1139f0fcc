// Worker thread entry of the parallel JSON Lines load: check one chunk (./chunk.ts) and hand back
// its columns. The bundle builds it as dist/cli/dataset-worker.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { type ChunkInput, checkChunk, transferables } from './chunk.js';

const result = await checkChunk(workerData as ChunkInput).catch((e: unknown) => ({
  ok: false as const,
  why: e instanceof Error ? e.message : String(e),
}));
parentPort!.postMessage(result, transferables(result));
