import { ValidationError } from '../errors';
import type { ProductInput } from './product.types';
import { requireMaxLength, requireNotBlank } from '../validation';

// numeric(12,2): ten digits before the point, two after.
const DECIMAL = /^\d{1,10}(\.\d{1,2})?$/;

export function cleanProduct(input: ProductInput): Required<ProductInput> {
  const name = input.name.trim();
  requireNotBlank(name, 'name');
  requireMaxLength(name, 200, 'name');
  const description = input.description ?? '';
  requireMaxLength(description, 10_000, 'description');
  const price = input.price.trim();
  if (/^-\d/.test(price)) throw new ValidationError('price: Ensure this value is greater than or equal to 0.', 'price');
  if (!DECIMAL.test(price)) {
    throw new ValidationError(
      'price: Enter a decimal number with at most 10 digits before the point and 2 after, such as "19.99".',
      'price',
    );
  }
  return { name, description, price: canonicalPrice(price) };
}

/**
 * "10" -> "10.00", "007.5" -> "7.50": the form numeric(12,2) reads back. Without it a mutation answered the
 * price as typed ("10") while every later read answered "10.00", so one product had two prices on the wire.
 */
function canonicalPrice(price: string): string {
  const [whole, fraction = ''] = price.split('.');
  return `${whole.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(2, '0')}`;
}
