/** The release page's file pages in the URL (src/web/client/release/pager.ts): pure, no browser. */
import { describe, expect, it } from 'vitest';
import { pageLinks } from '../../src/web/client/release/pager.js';

const q = (s: string) => new URLSearchParams(s);

describe("the release page's file pager", () => {
  it('goes forward three pages and back again to the same cursors, keeping the filters', () => {
    const p1 = q('kind=IMAGE');
    const l1 = pageLinks(p1, 'c1', true);
    expect(l1.previous).toBeNull();
    expect(l1.first).toBeNull();
    const p2 = l1.next!;
    expect(p2.toString()).toBe('kind=IMAGE&after=c1');
    const p3 = pageLinks(p2, 'c2', true).next!;
    expect(p3.getAll('back')).toEqual(['c1']);
    expect(p3.get('after')).toBe('c2');
    const l3 = pageLinks(p3, 'c3', false);
    expect(l3.next).toBeNull();
    // Back from page 3 is page 2 exactly as it was reached, and back from there is page 1.
    expect(l3.previous!.toString()).toBe(p2.toString());
    expect(pageLinks(l3.previous!, 'c2', true).previous!.toString()).toBe(p1.toString());
    expect(l3.first!.toString()).toBe('kind=IMAGE');
  });

  it('has no Next on the last page and no Previous on the first', () => {
    const only = pageLinks(q(''), null, false);
    expect(only).toEqual({ previous: null, first: null, next: null });
  });
});
