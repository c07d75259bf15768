import { describe, expect, it } from 'vitest';
import {
  ang2pixNest, angularDistanceDeg, maxPixelRadius, nest2xyf, pix2angNest, pixelSizeDeg, STORE_ORDER, xyf2nest,
} from '../../src/sky/index.js';
import { fixtures, prng } from './fixtures.js';

describe('ang2pixNest against healpy', () => {
  it('gives healpy\'s order-24 id, and its parents at every order 0..24, for 2000 random positions (400 within 0.1 deg of a pole)', () => {
    expect(fixtures.points.length).toBe(2000);
    let checked = 0;
    for (const [ra, dec, id24] of fixtures.points) {
      for (let order = 0; order <= 24; order++) {
        const want = Math.floor(id24 / 4 ** (24 - order));
        const got = ang2pixNest(order, ra, dec);
        if (got !== want) expect({ ra, dec, order, got }).toEqual({ ra, dec, order, got: want });
        checked++;
      }
    }
    expect(checked).toBe(2000 * 25);
  });

  it('agrees at the poles, RA 0 and 360, Dec +-90, the zone edges z = +-2/3 and face corners', () => {
    const wrong: string[] = [];
    for (const { ra, dec, ids } of fixtures.specials) {
      for (const [order, id] of Object.entries(ids)) {
        const got = ang2pixNest(Number(order), ra, dec);
        if (got !== id) wrong.push(`ra ${ra} dec ${dec} order ${order}: ${got} != ${id}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(fixtures.specials.length).toBe(100);
  });

  it('takes RA modulo 360', () => {
    const rand = prng(7);
    for (let i = 0; i < 200; i++) {
      const ra = 360 * rand();
      const dec = 180 * rand() - 90;
      const id = ang2pixNest(STORE_ORDER, ra, dec);
      expect(ang2pixNest(STORE_ORDER, ra + 720, dec)).toBe(id);
      expect(ang2pixNest(STORE_ORDER, ra - 360, dec)).toBe(id);
    }
  });

  it('refuses orders beyond 24 (ids past 2^53) and positions off the sphere', () => {
    expect(() => ang2pixNest(25, 0, 0)).toThrow(RangeError);
    expect(() => ang2pixNest(-1, 0, 0)).toThrow(RangeError);
    expect(() => ang2pixNest(1.5, 0, 0)).toThrow(RangeError);
    expect(() => ang2pixNest(10, 0, 90.0001)).toThrow(RangeError);
    expect(() => ang2pixNest(10, Number.NaN, 0)).toThrow(RangeError);
    expect(() => ang2pixNest(10, Infinity, 0)).toThrow(RangeError);
    expect(ang2pixNest(24, 359.999999, -89.999999)).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });
});

describe('pix2angNest against healpy', () => {
  it('gives healpy\'s pixel centres (within 1e-12 deg) at orders 0..24, face corners included', () => {
    let worst = 0;
    for (const [order, pix, ra, dec] of fixtures.centres) {
      const c = pix2angNest(order, pix);
      worst = Math.max(worst, angularDistanceDeg(c.ra, c.dec, ra, dec));
    }
    expect(fixtures.centres.length).toBeGreaterThan(350);
    expect(worst).toBeLessThan(1e-12);
  });

  it('round-trips: every centre falls in its own pixel, at every order', () => {
    const rand = prng(11);
    for (let order = 0; order <= 24; order++) {
      for (let i = 0; i < 300; i++) {
        const pix = Math.floor(rand() * 12 * 4 ** order);
        const c = pix2angNest(order, pix);
        expect(ang2pixNest(order, c.ra, c.dec)).toBe(pix);
      }
    }
  });

  it('xyf2nest and nest2xyf are inverse up to order 24', () => {
    const rand = prng(5);
    const out = [0, 0, 0];
    for (let i = 0; i < 2000; i++) {
      const order = Math.floor(rand() * 25);
      const pix = Math.floor(rand() * 12 * 4 ** order);
      nest2xyf(order, pix, out);
      expect(xyf2nest(order, out[0], out[1], out[2])).toBe(pix);
    }
    expect(() => pix2angNest(3, 12 * 64)).toThrow(RangeError);
  });

  it('maxPixelRadius equals healpy max_pixrad at orders 0..29; order-24 pixels are 12.6 mas', () => {
    fixtures.maxPixrad.forEach((want, order) => expect(maxPixelRadius(order)).toBeCloseTo(want, 15 - Math.floor(Math.log10(1 / want))));
    expect(pixelSizeDeg(24) * 3.6e6).toBeCloseTo(12.58, 2);
  });
});

describe('angularDistanceDeg', () => {
  it('keeps its digits for tiny, antipodal and polar separations', () => {
    expect(angularDistanceDeg(10, 20, 10, 20)).toBe(0);
    expect(angularDistanceDeg(0, 0, 1e-9, 0) / 1e-9).toBeCloseTo(1, 9);
    const dec2 = 45 + 1e-10; // as stored: 45 + 1.00006e-10
    expect(angularDistanceDeg(123, 45, 123, dec2) / (dec2 - 45)).toBeCloseTo(1, 6);
    expect(angularDistanceDeg(0, 0, 180, 0)).toBe(180);
    expect(angularDistanceDeg(10, 20, 190, -20)).toBeCloseTo(180, 12);
    expect(180 - angularDistanceDeg(0, 0, 180, 1e-9)).toBeCloseTo(1e-9, 13); // to 180's last bit
    expect(angularDistanceDeg(0, 90, 123, 90)).toBeLessThan(1e-13); // cos(90 deg) is 6e-17 in doubles
    expect(angularDistanceDeg(359.9999, 0, 0.0001, 0)).toBeCloseTo(0.0002, 12);
    expect(angularDistanceDeg(0, 89, 180, 89)).toBeCloseTo(2, 12);
  });
});
