/**
 * Worker-thread side of the analysis pool: receives chunks of files, analyses them
 * synchronously (see analyze-file.ts) and posts the results back as columns (columns.ts).
 * One scratch buffer per thread, rules compiled once per distinct rules object.
 */
import { parentPort } from 'node:worker_threads';
import { compileRules, type ProductRules } from '../rules.js';
import { analyzeFile, createScratch, releaseDirectory } from './analyze-file.js';
import { transferables } from '../../db/text-column.js';
import { appendAnalysis, emptyColumns, type AnalysisColumns } from './columns.js';
import type { AnalyzeRequest } from './types.js';

export interface WorkerRequest {
  seq: number;
  request: AnalyzeRequest;
}
export interface WorkerResponse {
  seq: number;
  results?: AnalysisColumns;
  error?: string;
}

const scratch = createScratch();
let cachedRulesKey = '';
let compiled = compileRules({ products: [], ignore: [] });

function rulesFor(rules: ProductRules) {
  const key = JSON.stringify(rules);
  if (key !== cachedRulesKey) {
    compiled = compileRules(rules);
    cachedRulesKey = key;
  }
  return compiled;
}

parentPort!.on('message', ({ seq, request }: WorkerRequest) => {
  try {
    const rules = rulesFor(request.rules);
    const results = emptyColumns();
    try {
      for (const f of request.files) appendAnalysis(results, analyzeFile(f, rules.ruleFor(f.path), scratch));
    } finally {
      releaseDirectory(scratch); // a directory is checked again by the next chunk
    }
    // The headers' buffer moves to the main thread rather than being copied.
    parentPort!.postMessage({ seq, results } satisfies WorkerResponse, transferables(results.hdus.header));
  } catch (err) {
    parentPort!.postMessage({ seq, error: (err as Error).stack ?? String(err) } satisfies WorkerResponse);
  }
});
