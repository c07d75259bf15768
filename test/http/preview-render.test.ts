/** The quicklook renderer itself (src/access/preview-render.ts) on hand-made cubes and bytes. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderPreview } from '../../src/access/preview-render.js';
import { buildHdu, float32BE, type CardInput } from '../../src/bench/fits-writer.js';
import { bufferSource } from '../../src/fits/source.js';

/** A cube whose spectral axis is `spectralAxis` (1-based) of dims, each pixel = its plane number along that axis, times 10 in the image's left half. */
function cube(dims: [number, number, number], spectralAxis: 1 | 2 | 3): Buffer {
  const [n1, n2, n3] = dims;
  const px = new Float32Array(n1 * n2 * n3);
  for (let k = 0; k < px.length; k++) {
    const c = [k % n1, Math.floor(k / n1) % n2, Math.floor(k / (n1 * n2))];
    const plane = c[spectralAxis - 1];
    const image = c.filter((_, i) => i !== spectralAxis - 1);
    px[k] = plane + (image[0] < dims.filter((_, i) => i !== spectralAxis - 1)[0] / 2 ? 100 : 0);
  }
  const cards: CardInput[] = [['SIMPLE', true], ['BITPIX', -32], ['NAXIS', 3], ['NAXIS1', n1], ['NAXIS2', n2], ['NAXIS3', n3]];
  for (let a = 1; a <= 3; a++) cards.push([`CTYPE${a}`, a === spectralAxis ? 'WAVE' : a === (spectralAxis === 1 ? 2 : 1) ? 'RA---TAN' : 'DEC--TAN']);
  return buildHdu(cards, float32BE(px));
}

describe('renderPreview', () => {
  it('draws one plane across the spectral axis, the image axes being the other two, wherever the spectral axis is', () => {
    for (const axis of [1, 2, 3] as const) {
      const dims: [number, number, number] = [7, 6, 5];
      const p = renderPreview(bufferSource(cube(dims, axis)));
      expect(p.problem).toBeNull();
      const others = dims.filter((_, i) => i !== axis - 1);
      expect([p.width, p.height]).toEqual(others);
      const png = PNG.sync.read(p.png);
      // Left half bright, right half dark: one plane (all the same plane number), not a mix.
      expect(png.data[(0 * png.width + 0) * 4]).toBe(255);
      expect(png.data[(0 * png.width + png.width - 1) * 4]).toBe(0);
    }
  });

  it('gives the placeholder, with the reason, for bytes that are not an image', () => {
    const p = renderPreview(bufferSource(Buffer.from('not a FITS file at all')));
    expect(p.problem).toMatch(/not FITS|no image/);
    expect([p.width, p.height]).toEqual([64, 64]);
    expect(PNG.sync.read(p.png).width).toBe(64);
  });
});
