/**
 * Checks shared by the resolvers' input validation (pages: src/pagination.ts), with DRF's field messages
 * verbatim, each a ValidationError naming its field (`<field>: <message>`).
 */
import { ValidationError } from './errors';

/** DRF's CharField `allow_blank=False`. */
export function requireNotBlank(value: string, field: string): void {
  if (!value) throw new ValidationError(`${field}: This field may not be blank.`, field);
}

/** DRF's CharField `max_length`. */
export function requireMaxLength(value: string, max: number, field: string): void {
  if (value.length > max) throw new ValidationError(`${field}: Ensure this field has no more than ${max} characters.`, field);
}

/** No control characters (a newline in a name or a search term is never meant). */
export function requireNoControlCharacters(value: string, field: string): void {
  if (/\p{Cc}/u.test(value)) throw new ValidationError(`${field}: Control characters are not allowed.`, field);
}

export function parseId(raw: string, field = 'id'): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > 2147483647) {
    throw new ValidationError(`${field}: Enter a valid id (a positive integer).`, field);
  }
  return Number(raw);
}
