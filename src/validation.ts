/** Checks shared by every resolver that takes ids or pages. */
import { ValidationError } from './errors';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export function parseId(raw: string, field = 'id'): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > 2147483647) {
    throw new ValidationError(`${field}: Enter a valid id (a positive integer).`, field);
  }
  return Number(raw);
}

export function checkPage(limit: number, offset: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`limit: Ensure this value is between 1 and ${MAX_PAGE_SIZE}.`, 'limit');
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ValidationError('offset: Ensure this value is greater than or equal to 0.', 'offset');
  }
}
