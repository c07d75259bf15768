/**
 * A synthetic data release on disk: spectra, IFS cubes, images, catalogues and blobs in
 * directories of at most 1000 files, sources shared between files so that the source
 * lookup-or-create path is exercised. Written file by file (streamed), never held in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { blobBytes, catalogueFits, cubeFits, imageFits, spectrumFits } from './products.js';

export interface ReleaseShape {
  spectra: number;
  cubes: number;
  images: number;
  catalogues: number;
  blobs: number;
  /** Distinct source names shared by the spectra/cubes/images. */
  sources: number;
  blobBytes?: number;
  spectrumPixels?: number;
}

export const KIND_DIRS = { spectra: 'spectra', cubes: 'cubes', images: 'images', catalogues: 'catalogues', blobs: 'blobs' } as const;
const FILE_PREFIX = { spectra: 'spectrum', cubes: 'cube', images: 'image', catalogues: 'catalogue', blobs: 'blob' } as const;

export function generateRelease(root: string, shape: ReleaseShape): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const write = (kind: keyof typeof KIND_DIRS, i: number, ext: string, data: Buffer) => {
    const dir = path.join(root, KIND_DIRS[kind], String(Math.floor(i / 1000)).padStart(4, '0'));
    if (i % 1000 === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${FILE_PREFIX[kind]}_${String(i).padStart(7, '0')}.${ext}`), data);
    files++;
    bytes += data.length;
  };
  const target = (i: number) => {
    const s = i % Math.max(1, shape.sources);
    return { object: `SRC ${String(s).padStart(6, '0')}`, ra: (s * 0.137) % 360, dec: ((s * 0.071) % 170) - 85 };
  };
  for (let i = 0; i < shape.spectra; i++) write('spectra', i, 'fits', spectrumFits({ ...target(i), seed: i + 1, pixels: shape.spectrumPixels }));
  for (let i = 0; i < shape.cubes; i++) write('cubes', i, 'fits', cubeFits({ ...target(i), seed: i + 1 }));
  for (let i = 0; i < shape.images; i++) write('images', i, 'fits', imageFits({ ...target(i), seed: i + 1 }));
  for (let i = 0; i < shape.catalogues; i++) write('catalogues', i, 'fits', catalogueFits({ seed: i + 1 }));
  for (let i = 0; i < shape.blobs; i++) write('blobs', i, 'log', blobBytes(shape.blobBytes ?? 2048, i + 1));
  return { files, bytes };
}
