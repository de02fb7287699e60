/**
 * Cursor paging for connections (`pageInfo { hasNextPage endCursor }`): newer and older pages, newest first.
 * `useCursorPages` keeps the cursors of the pages already seen, so "Newer" goes back exactly.
 */
import { useState } from 'react';

export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1],
    page: cursors.length,
    older: (endCursor: string) => setCursors((seen) => [...seen, endCursor]),
    newer: () => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)),
    reset: () => setCursors([null]),
  };
}

export function CursorPager({ pages, hasNextPage, endCursor }: { pages: ReturnType<typeof useCursorPages>; hasNextPage: boolean; endCursor: string | null }) {
  if (pages.page === 1 && !hasNextPage) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <span>Page {pages.page}</span>
      <button type="button" className="button-small" disabled={pages.page === 1} onClick={pages.newer}>
        ← Newer
      </button>
      <button type="button" className="button-small" disabled={!hasNextPage || !endCursor} onClick={() => endCursor && pages.older(endCursor)}>
        Older →
      </button>
    </nav>
  );
}
