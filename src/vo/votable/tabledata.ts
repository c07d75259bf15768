/** VOTable TABLEDATA rows (VOTable 1.4 §5.1): <TR><TD>..</TD></TR>, NULL as an empty <TD/>. */
import { cellFormatter, type TextStyle } from './cells.js';
import type { VoField } from './fields.js';
import { escapeXml } from './xml.js';

const STYLE: TextStyle = { nan: 'NaN', posInf: '+Inf', negInf: '-Inf', true: 'T', false: 'F', text: escapeXml };

export function tabledataRows(fields: VoField[]): (rows: unknown[][]) => string {
  const cells = fields.map((f) => cellFormatter(f, STYLE));
  const n = cells.length;
  return (rows) => {
    // One string per batch, built by concatenation: V8 keeps it as a rope and flattens it once
    // when it is written, which measured faster than writing each cell into a Buffer.
    let s = '';
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      s += '<TR>';
      for (let c = 0; c < n; c++) {
        const v = row[c];
        s += v == null ? '<TD/>' : '<TD>' + cells[c]!(v) + '</TD>';
      }
      s += '</TR>\n';
    }
    return s;
  };
}
