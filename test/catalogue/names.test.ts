/**
 * Catalogue schema names never land in a schema the archive or PostgreSQL owns: a survey
 * "graphile" with release "worker" would otherwise load (and swap tables) into the job queue's
 * schema, "tap" + "schema" into TAP_SCHEMA.
 */
import { describe, expect, it } from 'vitest';
import { schemaName } from '../../src/catalogue/names.js';

describe('schemaName', () => {
  it('is <survey>_<release>, lower case and safe', () => {
    expect(schemaName('GAMA', 'DR4')).toBe('gama_dr4');
    expect(schemaName('GALAH', 'DR3 v2')).toBe('galah_dr3_v2');
    expect(schemaName('2MASS', 'PSC')).toBe('s_2mass_psc');
  });

  it.each([
    ['graphile', 'worker', 'graphile_worker'],
    ['tap', 'schema', 'tap_schema'],
    ['information', 'schema', 'information_schema'],
    ['PG', 'catalog', 'pg_catalog'],
    ['pg', 'toast', 'pg_toast'],
  ])('moves %s %s away from the reserved schema %s', (survey, release, reserved) => {
    const name = schemaName(survey, release);
    expect(name).not.toBe(reserved);
    expect(name.startsWith('pg_')).toBe(false);
    expect(name).toBe(`s_${reserved}`);
  });
});
