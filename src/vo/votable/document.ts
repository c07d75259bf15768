/**
 * The XML around a VOTable's data: the RESOURCE type="results" with its QUERY_STATUS INFO
 * before the TABLE (DALI 1.1 §4.4.1, TAP 1.1 §2.9), the FIELDs, and the status that can only be
 * known after the last row: a second QUERY_STATUS INFO after the TABLE for OVERFLOW or ERROR,
 * which is how DALI lets a service stream and still report them (§4.4.1-4.4.2).
 */
import type { VoField } from './fields.js';
import { escapeXml } from './xml.js';

export interface VoInfo {
  name: string;
  value: string;
  text?: string;
}

export interface DocumentOptions {
  fields: VoField[];
  infos?: VoInfo[];
  resourceType?: 'results';
  tableName?: string;
  description?: string;
}

const PROLOGUE =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xsi:schemaLocation="http://www.ivoa.net/xml/VOTable/v1.3 http://www.ivoa.net/xml/VOTable/v1.3">\n';

export function infoElement(info: VoInfo): string {
  const open = `<INFO name="${escapeXml(info.name)}" value="${escapeXml(info.value)}"`;
  return info.text ? `${open}>${escapeXml(info.text)}</INFO>\n` : `${open}/>\n`;
}

function fieldElement(f: VoField): string {
  let s = `<FIELD name="${escapeXml(f.name)}" datatype="${f.datatype}"`;
  if (f.arraysize) s += ` arraysize="${escapeXml(f.arraysize)}"`;
  if (f.xtype) s += ` xtype="${escapeXml(f.xtype)}"`;
  if (f.unit) s += ` unit="${escapeXml(f.unit)}"`;
  if (f.ucd) s += ` ucd="${escapeXml(f.ucd)}"`;
  if (f.utype) s += ` utype="${escapeXml(f.utype)}"`;
  return f.description ? `${s}>\n<DESCRIPTION>${escapeXml(f.description)}</DESCRIPTION>\n</FIELD>\n` : `${s}/>\n`;
}

/** Everything up to the opening of the serialisation element's content. */
export function documentHead(o: DocumentOptions, dataOpen: string): string {
  let s = PROLOGUE + `<RESOURCE type="${o.resourceType ?? 'results'}">\n`;
  s += infoElement({ name: 'QUERY_STATUS', value: 'OK' });
  for (const info of o.infos ?? []) s += infoElement(info);
  s += o.tableName ? `<TABLE name="${escapeXml(o.tableName)}">\n` : '<TABLE>\n';
  if (o.description) s += `<DESCRIPTION>${escapeXml(o.description)}</DESCRIPTION>\n`;
  for (const f of o.fields) s += fieldElement(f);
  return s + dataOpen;
}

export type QueryStatus = { status: 'OK' | 'OVERFLOW' | 'ERROR'; message?: string };

/** From the end of the data to the end of the document. */
export function documentTail(dataClose: string, status: QueryStatus): string {
  let s = dataClose + '</TABLE>\n';
  if (status.status !== 'OK') s += infoElement({ name: 'QUERY_STATUS', value: status.status, text: status.message });
  return s + '</RESOURCE>\n</VOTABLE>\n';
}

/** A whole VOTable document that says QUERY_STATUS=ERROR with the message (DALI §4.4.2, TAP 1.1 §2.9). */
export function votableErrorDocument(message: string): string {
  return (
    PROLOGUE +
    '<RESOURCE type="results">\n' +
    infoElement({ name: 'QUERY_STATUS', value: 'ERROR', text: message }) +
    '</RESOURCE>\n</VOTABLE>\n'
  );
}
