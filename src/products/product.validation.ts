import { ValidationError } from '../errors';
import type { ProductInput } from './product.types';

// numeric(12,2): ten digits before the point, two after.
const DECIMAL = /^\d{1,10}(\.\d{1,2})?$/;

export function cleanProduct(input: ProductInput): Required<ProductInput> {
  const name = input.name.trim();
  if (!name) throw new ValidationError('name: This field may not be blank.', 'name');
  if (name.length > 200) throw new ValidationError('name: Ensure this field has no more than 200 characters.', 'name');
  const description = input.description ?? '';
  if (description.length > 10_000) {
    throw new ValidationError('description: Ensure this field has no more than 10000 characters.', 'description');
  }
  const price = input.price.trim();
  if (/^-\d/.test(price)) throw new ValidationError('price: Ensure this value is greater than or equal to 0.', 'price');
  if (!DECIMAL.test(price)) {
    throw new ValidationError(
      'price: Enter a decimal number with at most 10 digits before the point and 2 after, such as "19.99".',
      'price',
    );
  }
  return { name, description, price };
}
