/**
 * VOSI 1.1 documents for the simple services: `<base>/capabilities` (the service's own
 * capability plus the VOSI ones, each with its full access URL, which is how pyvo's SIA2Service
 * finds /sia/query) and `<base>/availability`. Pure: the caller supplies the absolute base URL.
 */
import { escapeXml as xmlEscape } from '../votable/xml.js';

/** One service capability: its standardID, optional xsi:type with extra child elements, its access URL. */
export interface ServiceCapability {
  standardID: string;
  /** e.g. `cs:ConeSearch` (the prefix must be one declared below). */
  xsiType?: string;
  accessURL: string;
  /** `base` for a URL the client appends parameters to, `full` for a complete one. */
  use?: 'base' | 'full';
  version?: string;
  /** Extra elements after the interface (already XML). */
  extra?: string;
}

const NAMESPACES = [
  'xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0"',
  'xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1"',
  'xmlns:cs="http://www.ivoa.net/xml/ConeSearch/v1.0"',
  'xmlns:ssa="http://www.ivoa.net/xml/SSA/v1.1"',
  'xmlns:sia="http://www.ivoa.net/xml/SIA/v1.1"',
].join(' ');

/** The capabilities document of the service rooted at `base` (absolute, no trailing slash). */
export function capabilitiesDocument(base: string, service: ServiceCapability): string {
  const cap = (standardID: string, url: string, o: { xsiType?: string; use?: string; version?: string; extra?: string } = {}) =>
    `  <capability standardID="${xmlEscape(standardID)}"${o.xsiType ? ` xsi:type="${o.xsiType}"` : ''}>\n` +
    `    <interface xsi:type="vs:ParamHTTP" role="std"${o.version ? ` version="${o.version}"` : ''}>\n` +
    `      <accessURL use="${o.use ?? 'full'}">${xmlEscape(url)}</accessURL>\n` +
    `    </interface>\n${o.extra ?? ''}  </capability>\n`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<vosi:capabilities ${NAMESPACES}>\n` +
    cap('ivo://ivoa.net/std/VOSI#capabilities', `${base}/capabilities`) +
    cap('ivo://ivoa.net/std/VOSI#availability', `${base}/availability`) +
    cap(service.standardID, service.accessURL, { xsiType: service.xsiType, use: service.use ?? 'base', version: service.version, extra: service.extra }) +
    '</vosi:capabilities>\n'
  );
}

export function availabilityDocument(available: boolean, note: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<avail:availability xmlns:avail="http://www.ivoa.net/xml/VOSIAvailability/v1.0">\n' +
    `  <avail:available>${available}</avail:available>\n` +
    `  <avail:note>${xmlEscape(note)}</avail:note>\n` +
    '</avail:availability>\n'
  );
}
