/**
 * UWS 1.1 documents (the job, the job list), in the element order of the UWS 1.1 schema
 * (JobSummary: jobId, runId, ownerId, phase, quote, creationTime, startTime, endTime,
 * executionDuration, destruction, parameters, results, errorSummary). Pure.
 */
import { escapeXml } from '../votable/xml.js';
import type { TapJob } from './uws-store.js';

const NS = 'xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

/** ISO 8601 in UTC, as UWS and DALI write times (no fractional seconds: clients parse them all). */
export function isoTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const el = (name: string, value: string | null | undefined) =>
  value === null || value === undefined ? `  <uws:${name} xsi:nil="true"/>\n` : `  <uws:${name}>${escapeXml(value)}</uws:${name}>\n`;

/** `jobUrl`: the job's absolute URL (its results are below it). */
export function jobDocument(job: TapJob, jobUrl: string, resultType: string | null): string {
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<uws:job ${NS} version="1.1">\n`;
  xml += el('jobId', job.id);
  if (job.runId !== null) xml += el('runId', job.runId);
  xml += el('ownerId', job.ownerName);
  xml += el('phase', job.phase);
  xml += el('quote', null);
  xml += el('creationTime', isoTime(job.createdAt));
  xml += el('startTime', job.startedAt && isoTime(job.startedAt));
  xml += el('endTime', job.endedAt && isoTime(job.endedAt));
  xml += el('executionDuration', String(job.executionDuration));
  xml += el('destruction', isoTime(job.destruction));
  xml += parametersElement(job, '');
  xml += resultsElement(job, jobUrl, resultType, '');
  if (job.phase === 'ERROR' && job.errorSummary !== null) {
    xml += `  <uws:errorSummary type="${job.errorIsUsage ? 'fatal' : 'transient'}" hasDetail="true">\n    <uws:message>${escapeXml(job.errorSummary)}</uws:message>\n  </uws:errorSummary>\n`;
  }
  return `${xml}</uws:job>\n`;
}

/** <uws:parameters>; `ns`: the namespace declaration when it is a document of its own. */
export function parametersElement(job: TapJob, ns: string): string {
  let xml = `  <uws:parameters${ns}>\n`;
  for (const [name, value] of Object.entries(job.parameters)) {
    xml += `    <uws:parameter id="${escapeXml(name)}">${escapeXml(value)}</uws:parameter>\n`;
  }
  return `${xml}  </uws:parameters>\n`;
}

/** <uws:results>: the one result, once the job is COMPLETED. */
export function resultsElement(job: TapJob, jobUrl: string, resultType: string | null, ns: string): string {
  let xml = `  <uws:results${ns}>\n`;
  if (job.phase === 'COMPLETED' && resultType !== null) {
    const size = job.resultSize === null ? '' : ` size="${job.resultSize}"`;
    xml += `    <uws:result id="result" xlink:type="simple" xlink:href="${escapeXml(`${jobUrl}/results/result`)}" mime-type="${escapeXml(resultType)}"${size}/>\n`;
  }
  return `${xml}  </uws:results>\n`;
}

/** A <uws:parameters> or <uws:results> element as a document of its own. */
export function fragmentDocument(element: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element.trimStart()}`;
}

export const FRAGMENT_NS = ` ${NS}`;

export interface JobRef {
  id: string;
  phase: string;
  runId: string | null;
  ownerName: string | null;
  createdAt: Date;
}

export function jobListDocument(jobs: JobRef[], asyncUrl: string): string {
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<uws:jobs ${NS} version="1.1">\n`;
  for (const j of jobs) {
    xml += `  <uws:jobref id="${escapeXml(j.id)}" xlink:type="simple" xlink:href="${escapeXml(`${asyncUrl}/${j.id}`)}">\n`;
    xml += `    <uws:phase>${j.phase}</uws:phase>\n`;
    if (j.runId !== null) xml += `    <uws:runId>${escapeXml(j.runId)}</uws:runId>\n`;
    if (j.ownerName !== null) xml += `    <uws:ownerId>${escapeXml(j.ownerName)}</uws:ownerId>\n`;
    xml += `    <uws:creationTime>${isoTime(j.createdAt)}</uws:creationTime>\n  </uws:jobref>\n`;
  }
  return `${xml}</uws:jobs>\n`;
}
