/**
 * /tap/async: the UWS 1.1 job list and job resources (UWS 1.1 §2.2). A POST to the list creates
 * a job (303 to it; PHASE=RUN runs it at once); each job has phase, quote, executionduration,
 * destruction, owner, parameters, results (/results/result is the file), error; POST
 * ACTION=DELETE or DELETE removes it. WAIT=n on the job blocks until its phase changes (at most
 * MAX_WAIT_S, however long asked). Who may see a job: src/vo/tap/uws-store.ts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import { notFound } from '../../errors.js';
import type { TapLimits } from '../../config.js';
import { publicBaseUrl } from '../../http/public-url.js';
import { VoUsageError } from '../errors.js';
import { ServiceParams } from '../services/params.js';
import { votableErrorDocument } from '../votable/encoder.js';
import { contentTypeOf, parseOutputFormat, type OutputFormat } from '../votable/format.js';
import { tapViewerOf, type TapDeps } from './deps.js';
import { checkLang, checkRequest, formatParam, maxrecOf, queryText, readParamRecords, readParams, usage } from './params.js';
import { removeResult } from './uws-run.js';
import {
  abortJob,
  ACTIVE_PHASES,
  deleteJob,
  getJob,
  insertJob,
  listJobs,
  runJob,
  setDestruction,
  setExecutionDuration,
  updateSettings,
  type JobSettings,
  type Phase,
  type TapJob,
} from './uws-store.js';
import { FRAGMENT_NS, fragmentDocument, isoTime, jobDocument, jobListDocument, parametersElement, resultsElement } from './uws-xml.js';

/** WAIT blocks at most this long (UWS lets the service bound it); clients ask again. */
export const MAX_WAIT_S = 60;
/** Parameters that steer the job rather than being part of it. */
const CONTROL = new Set(['phase', 'runid', 'executionduration', 'destruction', 'action', 'wait']);
const PHASES = new Set(['PENDING', 'QUEUED', 'EXECUTING', 'COMPLETED', 'ERROR', 'ABORTED', 'UNKNOWN', 'HELD', 'SUSPENDED', 'ARCHIVED']);
const EXTENSION: Record<OutputFormat, string> = { votable: 'vot', 'votable-binary2': 'vot', csv: 'csv', tsv: 'tsv' };

type Handler = (req: express.Request, res: express.Response) => Promise<unknown>;

export function uwsRoutes(deps: TapDeps): express.Router {
  const router = express.Router();
  const limits = deps.config.tapLimits;
  const wrap = (fn: Handler): express.RequestHandler => (req, res, next) => fn(req, res).catch(next);
  const asyncUrl = (req: express.Request) => `${publicBaseUrl(req, deps.config)}/tap/async`;
  const owner = async (req: express.Request) => (await tapViewerOf(deps.database, req)).viewer?.tokenId ?? null;
  /** The job the caller may see, or a 404 (unknown, someone else's and destroyed look alike). */
  const job = async (req: express.Request): Promise<{ job: TapJob; owner: number | null }> => {
    const who = await owner(req);
    const found = /^[0-9a-f]{32}$/.test(String(req.params.id)) ? await getJob(deps.database.pool, String(req.params.id), who) : null;
    if (!found) throw notFound(`no such job: ${String(req.params.id).slice(0, 40)}`);
    return { job: found, owner: who };
  };
  const toJob = (req: express.Request, res: express.Response) => res.redirect(303, `${asyncUrl(req)}/${String(req.params.id)}`);
  const text = (res: express.Response, body: string) => res.status(200).type('text/plain; charset=UTF-8').setHeader('cache-control', 'no-store').send(body);
  const xml = (res: express.Response, body: string) => res.status(200).type('text/xml; charset=UTF-8').setHeader('cache-control', 'no-store').send(body);

  router.get('/tap/async', wrap(async (req, res) => {
    const who = await owner(req);
    const params = await readParams(req);
    const phases = usage(() => params.all('PHASE'));
    for (const p of phases) if (!PHASES.has(p)) throw new VoUsageError(`PHASE=${p} is not a UWS phase: use one of ${[...PHASES].join(', ')}`);
    const afterRaw = usage(() => params.one('AFTER'));
    const after = afterRaw === undefined ? null : new Date(afterRaw);
    if (after !== null && Number.isNaN(after.getTime())) throw new VoUsageError(`AFTER must be an ISO 8601 time, got ${JSON.stringify(afterRaw)}`);
    const lastRaw = usage(() => params.one('LAST'));
    const last = lastRaw === undefined ? null : Number(lastRaw);
    if (last !== null && !(Number.isSafeInteger(last) && last > 0)) throw new VoUsageError(`LAST must be a positive integer, got ${JSON.stringify(lastRaw)}`);
    const jobs = who === null ? [] : await listJobs(deps.database.pool, who, { phases, after, last });
    xml(res, jobListDocument(jobs, asyncUrl(req)));
  }));

  router.post('/tap/async', wrap(async (req, res) => {
    const caller = await tapViewerOf(deps.database, req);
    const given = lowerCaseLast(await readParamRecords(req));
    const settings = settingsOf(given, limits);
    const executionDuration = durationOf(given.executionduration, limits) ?? limits.asyncDurationDefaultS;
    const destruction = destructionOf(given.destruction, limits) ?? new Date(Date.now() + limits.retentionS * 1000);
    const run = phaseParam(given.phase, ['RUN']) === 'RUN';
    const id = randomBytes(16).toString('hex');
    const resultPath = path.join(deps.config.home, 'tap-results', `${id}.${EXTENSION[parseOutputFormat(settings.format)]}`);
    await insertJob(deps.database.pool, { id, ownerTokenId: caller.viewer?.tokenId ?? null, settings, executionDuration, destruction, resultPath, publicBase: publicBaseUrl(req, deps.config), run, concurrency: limits.asyncConcurrency });
    res.redirect(303, `${asyncUrl(req)}/${id}`);
  }));

  router.get('/tap/async/:id', wrap(async (req, res) => {
    let { job: j, owner: who } = await job(req);
    const params = await readParams(req);
    const waitRaw = usage(() => params.one('WAIT'));
    if (waitRaw !== undefined) {
      const wait = Number(waitRaw);
      if (!Number.isInteger(wait) || wait < -1) throw new VoUsageError(`WAIT must be -1 (as long as the service allows) or a number of seconds, got ${JSON.stringify(waitRaw)}`);
      const phase = usage(() => params.one('PHASE'));
      const seconds = wait === -1 ? MAX_WAIT_S : Math.min(wait, MAX_WAIT_S);
      j = await waitForChange(deps, j, who, phase, seconds, res);
    }
    xml(res, jobDocument(await withSize(j), `${asyncUrl(req)}/${j.id}`, resultType(j)));
  }));

  const remove = async (req: express.Request, res: express.Response) => {
    const who = await owner(req);
    const file = /^[0-9a-f]{32}$/.test(String(req.params.id)) ? await deleteJob(deps.database.pool, String(req.params.id), who) : null;
    if (file === null) throw notFound(`no such job: ${String(req.params.id).slice(0, 40)}`);
    await removeResult(file);
    res.redirect(303, asyncUrl(req));
  };
  router.delete('/tap/async/:id', wrap(remove));
  router.post('/tap/async/:id', wrap(async (req, res) => {
    const given = lowerCaseLast(await readParamRecords(req));
    if (given.action?.toUpperCase() !== 'DELETE') throw new VoUsageError('POST to a job takes ACTION=DELETE; parameters go to its /parameters, the phase to its /phase');
    await remove(req, res);
  }));

  router.get('/tap/async/:id/phase', wrap(async (req, res) => text(res, (await job(req)).job.phase)));
  router.post('/tap/async/:id/phase', wrap(async (req, res) => {
    const { owner: who } = await job(req);
    const phase = phaseParam(lowerCaseLast(await readParamRecords(req)).phase, ['RUN', 'ABORT']);
    if (phase === undefined) throw new VoUsageError('PHASE is missing: send PHASE=RUN or PHASE=ABORT');
    if (phase === 'RUN') await runJob(deps.database.pool, String(req.params.id), who, limits.asyncConcurrency);
    else await abortJob(deps.database.pool, String(req.params.id), who);
    toJob(req, res);
  }));

  router.get('/tap/async/:id/executionduration', wrap(async (req, res) => text(res, String((await job(req)).job.executionDuration))));
  router.post('/tap/async/:id/executionduration', wrap(async (req, res) => {
    const { owner: who } = await job(req);
    const seconds = durationOf(lowerCaseLast(await readParamRecords(req)).executionduration, limits);
    if (seconds === undefined) throw new VoUsageError('EXECUTIONDURATION is missing: send EXECUTIONDURATION=<seconds>');
    if (!(await setExecutionDuration(deps.database.pool, String(req.params.id), who, seconds))) throw conflict('the execution duration can only change while the job is PENDING');
    toJob(req, res);
  }));

  router.get('/tap/async/:id/destruction', wrap(async (req, res) => text(res, isoTime((await job(req)).job.destruction))));
  router.post('/tap/async/:id/destruction', wrap(async (req, res) => {
    const { owner: who } = await job(req);
    const at = destructionOf(lowerCaseLast(await readParamRecords(req)).destruction, limits);
    if (at === undefined) throw new VoUsageError('DESTRUCTION is missing: send DESTRUCTION=<ISO 8601 time>');
    await setDestruction(deps.database.pool, String(req.params.id), who, at);
    toJob(req, res);
  }));

  // No estimate is made: UWS's quote is then empty (xsi:nil in the job document).
  router.get('/tap/async/:id/quote', wrap(async (req, res) => {
    await job(req); // 404 for a job the caller may not see
    text(res, '');
  }));
  router.get('/tap/async/:id/owner', wrap(async (req, res) => text(res, (await job(req)).job.ownerName ?? '')));

  router.get('/tap/async/:id/parameters', wrap(async (req, res) => {
    const { job: j } = await job(req);
    xml(res, fragmentDocument(parametersElement(j, FRAGMENT_NS)));
  }));
  router.post('/tap/async/:id/parameters', wrap(async (req, res) => {
    const { job: j, owner: who } = await job(req);
    const merged = { ...j.parameters, ...lowerCaseLast(await readParamRecords(req)) };
    if (!(await updateSettings(deps.database.pool, j.id, who, settingsOf(merged, limits)))) throw conflict('parameters can only change while the job is PENDING');
    toJob(req, res);
  }));

  router.get('/tap/async/:id/results', wrap(async (req, res) => {
    const { job: j } = await job(req);
    xml(res, fragmentDocument(resultsElement(await withSize(j), `${asyncUrl(req)}/${j.id}`, resultType(j), FRAGMENT_NS)));
  }));
  router.get('/tap/async/:id/results/result', wrap(async (req, res) => {
    const { job: j } = await job(req);
    if (j.phase !== 'COMPLETED') throw notFound(`job ${j.id} has no result: it is ${j.phase}`);
    let file: fs.promises.FileHandle;
    try {
      file = await fs.promises.open(j.resultPath, 'r');
    } catch {
      throw notFound(`the result of job ${j.id} is gone (destroyed)`);
    }
    const { size } = await file.stat();
    res.status(200).setHeader('content-type', contentTypeOf(parseOutputFormat(j.format)));
    res.setHeader('content-length', String(size));
    res.setHeader('cache-control', 'private, no-store');
    await pipeline(file.createReadStream(), res);
  }));

  router.get('/tap/async/:id/error', wrap(async (req, res) => {
    const { job: j } = await job(req);
    if (j.phase !== 'ERROR' || j.errorSummary === null) throw notFound(`job ${j.id} has no error: it is ${j.phase}`);
    res.status(200).type('application/x-votable+xml').setHeader('cache-control', 'no-store').send(votableErrorDocument(j.errorSummary));
  }));
  return router;
}

function conflict(message: string): Error {
  return Object.assign(new Error(message), { status: 409 });
}

/** Parameter name (lower case) → its last value, over the query string and the body. */
function lowerCaseLast(records: Record<string, string[]>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of records) for (const [name, values] of Object.entries(r)) if (values.length > 0) out[name.toLowerCase()] = values[values.length - 1];
  return out;
}

/**
 * Checks the job's parameters as /tap/sync would. A job is created whatever they say (TAP 1.1
 * §2.2: a job with a bad query or language is rejected when it runs, in ERROR); what is wrong is
 * kept as `invalid` until the parameters change.
 */
function settingsOf(given: Record<string, string>, limits: TapLimits): JobSettings {
  const parameters = Object.fromEntries(Object.entries(given).filter(([name]) => !CONTROL.has(name)));
  const p = ServiceParams.from(parameters);
  const settings: JobSettings = { parameters, query: parameters.query ?? '', maxrec: limits.maxrecDefault, format: 'votable', runId: given.runid ?? null, invalid: null };
  try {
    checkRequest(p);
    checkLang(p);
    queryText(p);
    settings.format = parseOutputFormat(formatParam(p));
    settings.maxrec = maxrecOf(p, limits);
  } catch (err) {
    if (!(err instanceof VoUsageError)) throw err;
    settings.invalid = err.message;
  }
  return settings;
}

function durationOf(raw: string | undefined, limits: TapLimits): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n)) throw new VoUsageError(`EXECUTIONDURATION must be a whole number of seconds, got ${JSON.stringify(raw)}`);
  // 0 means "no limit" in UWS: this service always has one, its ceiling.
  return n === 0 ? limits.asyncDurationLimitS : Math.min(n, limits.asyncDurationLimitS);
}

/** A destruction time, at most the retention period ahead (a later ask gets that: UWS lets the service choose). */
function destructionOf(raw: string | undefined, limits: TapLimits): Date | undefined {
  if (raw === undefined) return undefined;
  const at = new Date(raw.trim());
  if (!/^\d{4}-\d\d-\d\d/.test(raw.trim()) || Number.isNaN(at.getTime())) throw new VoUsageError(`DESTRUCTION must be an ISO 8601 time, got ${JSON.stringify(raw)}`);
  return new Date(Math.min(at.getTime(), Date.now() + limits.retentionS * 1000));
}

function phaseParam(raw: string | undefined, allowed: string[]): string | undefined {
  if (raw === undefined) return undefined;
  if (!allowed.includes(raw)) throw new VoUsageError(`PHASE=${raw} is not accepted here: send ${allowed.map((a) => `PHASE=${a}`).join(' or ')}`);
  return raw;
}

function resultType(j: TapJob): string | null {
  return j.phase === 'COMPLETED' ? contentTypeOf(parseOutputFormat(j.format)) : null;
}

async function withSize(j: TapJob): Promise<TapJob> {
  if (j.phase !== 'COMPLETED') return j;
  const st = await fs.promises.stat(j.resultPath).catch(() => null);
  return { ...j, resultSize: st ? st.size : null };
}

/**
 * UWS 1.1 §2.2.1.1: block while the job is in `phase` (when given) or in any non-final phase,
 * until it changes or `seconds` pass; a client that goes away ends the wait.
 */
async function waitForChange(deps: TapDeps, j: TapJob, owner: number | null, phase: string | undefined, seconds: number, res: express.Response): Promise<TapJob> {
  const waiting = (p: Phase) => (phase !== undefined ? p === phase : ACTIVE_PHASES.includes(p));
  if (!waiting(j.phase)) return j;
  const deadline = Date.now() + seconds * 1000;
  let interval = 50;
  let current = j;
  while (Date.now() < deadline && !res.destroyed && !res.req.destroyed) {
    await new Promise((r) => setTimeout(r, Math.min(interval, deadline - Date.now())));
    interval = Math.min(interval * 2, 500);
    const next = await getJob(deps.database.pool, j.id, owner);
    if (!next) throw notFound(`no such job: ${j.id}`);
    current = next;
    if (current.phase !== j.phase || !waiting(current.phase)) return current;
  }
  return current;
}
