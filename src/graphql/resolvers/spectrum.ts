/**
 * Record.spectrum: a 1-D spectrum's values for plotting, read from the file on an access
 * thread (src/access/pool.ts) and min-max decimated there (src/access/decimate.ts). The
 * records of a page find their files in one statement (a loader of this request, keyed by
 * record id); the files are then read in parallel on the threads, never on the event loop.
 */
import type { GqlResolvers as Resolvers, GqlSpectrumData } from '../../__generated__/resolvers-types.js';
import { ArchiveError, badInput } from '../../errors.js';
import { OpenProblem } from '../../access/open-file.js';
import { accessPool } from '../../access/pool.js';
import { locateRecordFiles, type RecordFile } from '../../access/locate.js';
import { Loader } from '../../loaders/loader.js';
import type { GraphQLContext } from '../context.js';

export const MAX_SPECTRUM_POINTS = 20_000;
const MIN_SPECTRUM_POINTS = 2;

/**
 * Points one request may ask for in all (maxPoints of each spectrum it reads): about 8 MB of
 * JSON, half the default answer cap. The cost limit counts a list of floats as ten values
 * whatever maxPoints says, so without this a page of 500 records at 20,000 points would read
 * 500 files and build 20 million numbers before the answer cap refused them.
 */
export const MAX_POINTS_PER_REQUEST = 200_000;

interface RequestState {
  files: Loader<RecordFile | null>;
  /** Points promised to the spectra of this request so far. */
  points: number;
}

/** Per request: keyed by the request's loaders, which live exactly as long. */
const perRequest = new WeakMap<object, RequestState>();

function stateOf(ctx: GraphQLContext): RequestState {
  let state = perRequest.get(ctx.loaders);
  if (!state) {
    const { pool } = ctx.database;
    const files = new Loader<RecordFile | null>(async (ids) => {
      const found = await locateRecordFiles(pool, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    state = { files, points: 0 };
    perRequest.set(ctx.loaders, state);
  }
  return state;
}

export const spectrumResolvers: Resolvers = {
  Record: {
    spectrum: async (record, { maxPoints }, ctx): Promise<GqlSpectrumData | null> => {
      if (!Number.isInteger(maxPoints) || maxPoints < MIN_SPECTRUM_POINTS || maxPoints > MAX_SPECTRUM_POINTS) {
        throw badInput(`maxPoints must be an integer from ${MIN_SPECTRUM_POINTS} to ${MAX_SPECTRUM_POINTS}, got ${maxPoints}`, 'maxPoints');
      }
      // The record is visible (it was reached through a visible parent): its file is too.
      if (record.dataproductType !== undefined && record.dataproductType !== 'spectrum') return null;
      const state = stateOf(ctx);
      const file = await state.files.load(record.id);
      if (!file || file.kind !== 'SPECTRUM') return null;
      if (state.points + maxPoints > MAX_POINTS_PER_REQUEST) {
        throw badInput(
          `this request asks for more than ${MAX_POINTS_PER_REQUEST} spectrum points in all (maxPoints of each spectrum): ask for fewer records or a lower maxPoints`,
          'maxPoints',
        );
      }
      state.points += maxPoints;
      if (!file.disk) throw new ArchiveError('CONFLICT', 'the file of this record has no location inside its release: it is not read');
      if (file.missing) throw new ArchiveError('CONFLICT', 'the file of this record is no longer on disk (the last scan did not find it); ingest the release again');
      let result;
      try {
        result = await accessPool().run({ op: 'spectrum', file: file.disk, maxPoints });
      } catch (err) {
        if (err instanceof OpenProblem) throw new ArchiveError('CONFLICT', `cannot read this record's spectrum: ${err.message}`);
        throw err;
      }
      if (result.op !== 'spectrum' || !result.spectrum) return null;
      const s = result.spectrum;
      const flux = new Array<number | null>(s.flux.length);
      // NaN and infinities have no JSON form: null, as the schema says.
      for (let i = 0; i < flux.length; i++) flux[i] = Number.isFinite(s.flux[i]) ? s.flux[i] : null;
      return { wavelength: Array.from(s.wavelength), flux, unit: s.unit, fluxUnit: s.fluxUnit, points: flux.length, decimated: s.decimated };
    },
  },
};
