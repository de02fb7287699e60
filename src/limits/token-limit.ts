/**
 * MAX_TOKENS: a document of more parser tokens is refused before it is parsed. Parsing and validating cost
 * grows with the document, and some of graphql-js's validation rules grow faster than linearly (99 kB of
 * repeated `me { id }` took 0.5-0.8 s of CPU before "Validation aborted."; 7,000 nested fragments overflowed
 * the stack). The count uses graphql-js's own lexer, builds nothing, and stops one token past the limit: a
 * refusal then costs the same small work whatever the size of the body (counting all of a 99 kB body took
 * 1.4 ms, as much as answering a page of products), so it says "more than" rather than how many.
 */
import { Lexer, Source, TokenKind, type GraphQLError } from 'graphql';
import type { RequestHandler } from 'express';
import { LimitExceeded } from './refusal';
import type { RefusedDocuments } from './refused-documents';

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

function tokenRefusal(maxTokens: number): string {
  return `Token limit of ${maxTokens} exceeded, found more than ${maxTokens}.`;
}

/** For transports other than HTTP (the same limit, thrown). */
export function checkTokenLimit(source: string, maxTokens: number): void {
  if (exceedsTokens(source, maxTokens)) throw new LimitExceeded(tokenRefusal(maxTokens));
}

/**
 * Checked on the HTTP request, before Apollo: before the context (whose token lookup is a query) and before
 * parsing. A document refused earlier for its shape is answered here too. The answer has Apollo's error
 * shape and status.
 */
/**
 * How long these refusals are held before they are sent. Even answered this early a refusal costs about what
 * a 401 does (0.3-0.4 ms of the event loop, most of it Node's HTTP work, which the raw floor pays too), so a
 * client repeating one as fast as answers come back took two thirds of the event loop from the reads beside
 * it. Held for a moment on a timer, which costs nothing, a repeating client slows itself instead; a person
 * who hits a limit by mistake waits 25 ms more for the message.
 */
export const REFUSAL_HOLD_MS = 25;

export function earlyRefusalMiddleware(maxTokens: number, refused: RefusedDocuments): RequestHandler {
  return (req, res, next) => {
    const query: unknown = req.method === 'GET' ? req.query.query : req.body?.query;
    if (typeof query !== 'string') return next();
    const message = exceedsTokens(query, maxTokens) ? tokenRefusal(maxTokens) : refused.refusalOf(query);
    if (message === undefined) return next();
    const body = { errors: [{ message, extensions: { code: new LimitExceeded(message).extensions.code } }] };
    setTimeout(() => {
      if (!res.headersSent && !res.destroyed) res.status(400).json(body);
    }, REFUSAL_HOLD_MS);
  };
}
