/** VOTable TABLEDATA rows (VOTable 1.4 §5.1): <TR><TD>..</TD></TR>, NULL as an empty <TD/>. */
import { cellFormatter, type TextStyle } from './cells.js';
import type { VoField } from './fields.js';
import { escapeXml } from './xml.js';

const STYLE: TextStyle = { nan: 'NaN', posInf: '+Inf', negInf: '-Inf', true: 'T', false: 'F', text: escapeXml };

export function tabledataRows(fields: VoField[]): (rows: unknown[][]) => Buffer {
  const cells = fields.map((f) => cellFormatter(f, STYLE));
  const n = cells.length;
  let buf = Buffer.allocUnsafe(1 << 16);
  return (rows) => {
    // Each row is built as a short string and written into one reused Buffer as UTF-8: one
    // native call per row, and no rope of the whole batch to flatten and encode afterwards.
    let pos = 0;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      let s = '<TR>';
      for (let c = 0; c < n; c++) {
        const v = row[c];
        s += v == null ? '<TD/>' : '<TD>' + cells[c]!(v) + '</TD>';
      }
      s += '</TR>\n';
      // UTF-8 needs at most 3 bytes per UTF-16 code unit.
      if (pos + s.length * 3 > buf.length) {
        const next = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + s.length * 3));
        buf.copy(next, 0, 0, pos);
        buf = next;
      }
      pos += buf.write(s, pos);
    }
    return Buffer.from(buf.subarray(0, pos));
  };
}
