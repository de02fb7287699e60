/**
 * MAX_TOKENS: a document of more parser tokens is refused before it is parsed. Parsing and validating cost
 * grows with the document, and some of graphql-js's validation rules grow faster than linearly (99 kB of
 * repeated `me { id }` took 0.5-0.8 s of CPU before "Validation aborted."; 7,000 nested fragments overflowed
 * the stack). The count uses graphql-js's own lexer, builds nothing, and stops one token past the limit: a
 * refusal then costs the same small work whatever the size of the body (counting all of a 99 kB body took
 * 1.4 ms, as much as answering a page of products), so it says "more than" rather than how many.
 */
import { Lexer, Source, TokenKind, type GraphQLError } from 'graphql';

/** Whether `source` holds more than `max` tokens as graphql-js's parser counts them (comments excluded). */
export function exceedsTokens(source: string, max: number): boolean {
  // A token takes at least one character: a document no longer than the limit cannot exceed it.
  if (source.length <= max) return false;
  const lexer = new Lexer(new Source(source));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; ) {
      if (++count > max) return true;
    }
  } catch (error) {
    // A lexical error before the limit: the parser reports it properly.
    if ((error as GraphQLError).name !== 'GraphQLError') throw error;
  }
  return false;
}

export function tokenRefusal(maxTokens: number): string {
  return `Token limit of ${maxTokens} exceeded, found more than ${maxTokens}.`;
}
