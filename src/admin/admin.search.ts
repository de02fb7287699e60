/** The admin's search box: a case-insensitive substring of the username or the email. */
import { ValidationError } from '../errors';

export const MAX_SEARCH_LENGTH = 254;

/** The ILIKE pattern for a search, or undefined when there is nothing to search for (blank or absent). */
export function searchPattern(raw: string | null | undefined): string | undefined {
  const term = (raw ?? '').trim();
  if (!term) return undefined;
  if (term.length > MAX_SEARCH_LENGTH) {
    throw new ValidationError(`search: Ensure this field has no more than ${MAX_SEARCH_LENGTH} characters.`, 'search');
  }
  // The term is matched literally: LIKE's wildcards and its escape character are escaped.
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The user filter for a pattern, in MikroORM's query language. */
export function userMatching(pattern: string) {
  return { $or: [{ username: { $ilike: pattern } }, { email: { $ilike: pattern } }] };
}
