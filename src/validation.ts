/** Checks shared by every resolver that takes ids (pages: src/pagination.ts). */
import { ValidationError } from './errors';

export function parseId(raw: string, field = 'id'): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > 2147483647) {
    throw new ValidationError(`${field}: Enter a valid id (a positive integer).`, field);
  }
  return Number(raw);
}
