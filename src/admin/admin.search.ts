/**
 * The admin's search box: a case-insensitive substring of the username or the email, matched against
 * `auth_user_search.text` (lower(username) + newline + lower(email), see the admin_search migration).
 */
import { requireMaxLength, requireNoControlCharacters } from '../validation';

export const MAX_SEARCH_LENGTH = 254;

/**
 * The LIKE pattern for a search term, lower-cased as the searched text is, or undefined when there is
 * nothing to search for (absent or blank).
 */
export function searchPattern(raw: string | null | undefined): string | undefined {
  const term = (raw ?? '').trim();
  if (!term) return undefined;
  requireMaxLength(term, MAX_SEARCH_LENGTH, 'search');
  // The newline separates username from email in the searched text; no username or email holds one.
  requireNoControlCharacters(term, 'search');
  // The term is matched literally: LIKE's wildcards and its escape character are escaped.
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
