/**
 * A few paths need no router library: the History API, a hook that re-renders on navigation, and links that
 * do not reload the page. src/web.ts answers every one of these paths with index.html (SPA fallback).
 */
import { useSyncExternalStore, type MouseEvent } from 'react';

export const paths = {
  login: '/login',
  register: '/register',
  account: '/account',
  products: '/products',
  admin: '/admin',
} as const;

const NAVIGATE = 'app:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE, listener);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string, { replace = false } = {}): void {
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE));
}

/** onClick for an <a href>: navigates in place unless the user asked for a new tab or window. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
