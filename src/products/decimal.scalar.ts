import { GraphQLScalarType, Kind } from 'graphql';

/**
 * An exact decimal carried as a string ("19.99"). The scalar only insists on a string (or an integer
 * literal); the range and precision checks live in the product validation, so that every bad price answers
 * BAD_USER_INPUT naming the field, whether it came as a literal or a variable.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number carried as a string, e.g. "19.99".',
  serialize: (value) => String(value),
  parseValue: (value) => (typeof value === 'number' ? String(value) : String(value ?? '')),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return ast.value;
    return '';
  },
});
