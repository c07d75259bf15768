/**
 * The file list's pages, all in the URL: `after` is the cursor of the page shown and each
 * `back` the cursor of a page before it (oldest first; the first page has none). The API pages
 * forward only (keyset), so "Previous" is the last `back`: reload, a shared link and the
 * browser's Back all show the same page, and each step back costs one page's query, no more.
 * A page deep in the list carries one short cursor per page before it.
 */
export interface PageLinks {
  /** The query of the previous page, or null on the first. */
  previous: URLSearchParams | null;
  /** The query of the first page, or null on the first. */
  first: URLSearchParams | null;
  /** The query of the next page, or null on the last. */
  next: URLSearchParams | null;
}

export function pageLinks(query: URLSearchParams, endCursor: string | null, hasNextPage: boolean): PageLinks {
  const after = query.get('after');
  const back = query.getAll('back');
  const withPages = (a: string | null, b: string[]) => {
    const p = new URLSearchParams(query);
    p.delete('after');
    p.delete('back');
    for (const c of b) p.append('back', c);
    if (a) p.set('after', a);
    return p;
  };
  return {
    previous: after ? withPages(back.at(-1) ?? null, back.slice(0, -1)) : null,
    first: after ? withPages(null, []) : null,
    next: hasNextPage && endCursor ? withPages(endCursor, after ? [...back, after] : []) : null,
  };
}
