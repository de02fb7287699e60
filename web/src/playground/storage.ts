/**
 * GraphiQL's storage: localStorage as usual (history, settings), except the tabs and editor contents. Restored tabs would
 * come back without headers (GraphiQL does not persist them) or with a key that has since changed, so each
 * visit starts from the example tabs, prefilled with the current token.
 */
import type { GraphiQLProps } from 'graphiql';

type Storage = NonNullable<GraphiQLProps['storage']>;

// The tabs and the editors' contents; history, theme and panel sizes persist.
const NOT_PERSISTED = new Set(['graphiql:tabState', 'graphiql:query', 'graphiql:variables', 'graphiql:headers']);
const PREFIX = 'graphiql:';

function local(): globalThis.Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export const tabsNotPersisted: Storage = {
  getItem: (key) => (NOT_PERSISTED.has(key) ? null : (local()?.getItem(key) ?? null)),
  setItem: (key, value) => {
    if (!NOT_PERSISTED.has(key)) local()?.setItem(key, value);
  },
  removeItem: (key) => local()?.removeItem(key),
  clear: () => {
    const storage = local();
    if (!storage) return;
    for (const key of Object.keys(storage)) if (key.startsWith(PREFIX)) storage.removeItem(key);
  },
  get length() {
    const storage = local();
    return storage ? Object.keys(storage).filter((key) => key.startsWith(PREFIX)).length : 0;
  },
};
