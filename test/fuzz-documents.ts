/**
 * Random GraphQL documents for the fuzz tests (fast-check), over HTTP (test/fuzz.test.ts) and WebSocket
 * (test/ws-fuzz.test.ts): made of the schema's own names and GraphQL's punctuation, so that many parse and a
 * fair share validate, and biased towards what has broken before: subscriptions, `@skip`/`@include` (with
 * and without `if`, on variables never declared) and fragments on the root types.
 */
import fc from 'fast-check';

const names = fc.constantFrom(
  'me', 'products', 'product', 'users', 'tokens', 'register', 'obtainAuthToken', 'tokenInfo', 'myTokens', 'productChanged',
  '__typename', '__schema', 'id', 'items', 'total', 'name', 'kind', 'x',
);
const punctuation = fc.constantFrom(
  '{', '}', '(', ')', ':', '...', 'on', 'Query', 'Mutation', 'Subscription', 'fragment', 'query', 'mutation', 'subscription',
  '$v', '@skip(if: true)', '@skip(if: false)', '@include', '@include(if: $v)', '@skip(if: $v)', '($v: Boolean!)', '"s"', '1', '100',
  '-1', 'limit:', 'id:', 'null', '[', ']', '#c\n', ',',
);
const documentToken = fc.oneof(names, punctuation, fc.string({ maxLength: 4 }));

/** Any sequence of tokens. */
export const randomDocument = fc.array(documentToken, { maxLength: 60 }).map((tokens) => tokens.join(' '));

/** Documents that parse more often: an operation keyword, an optional name and variables, one selection set. */
export const operationDocument = fc
  .record({
    keyword: fc.constantFrom('query', 'mutation', 'subscription', 'subscription', ''),
    name: fc.constantFrom('', 'Op', 'Live'),
    variables: fc.constantFrom('', '($v: Boolean!)', '($v: Int)', '($limit: Int!)'),
    body: fc.array(documentToken, { maxLength: 20 }),
    fragment: fc.constantFrom('', ' fragment F on Subscription { productChanged { kind } }', ' fragment F on Query { me { id } }'),
  })
  .map(({ keyword, name, variables, body, fragment }) => `${keyword} ${keyword ? name + variables : ''} { ${body.join(' ')} }${fragment}`);

export const json = fc.jsonValue({ maxDepth: 3 });
