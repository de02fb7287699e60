/**
 * Documents refused for their shape (MAX_ALIASES, MAX_DEPTH), remembered by hash so that a replayed one is
 * refused on arrival: before Apollo, the token lookup, parsing and validation. A flood replays one
 * document; answering each copy through the whole pipeline cost a third of a page of products. The refusal
 * depends on the document alone, so it stands whoever sends it (a bad Authorization header then gets this
 * 400 rather than its 401: both are refusals, and nothing runs either way).
 */
import { createHash } from 'node:crypto';

/** The most documents remembered; the oldest go first. */
const REMEMBERED = 1000;

export class RefusedDocuments {
  private readonly messages = new Map<string, string>();

  private static key(query: string): string {
    return createHash('sha256').update(query).digest('base64');
  }

  remember(query: string, message: string): void {
    if (this.messages.size >= REMEMBERED) this.messages.delete(this.messages.keys().next().value!);
    this.messages.set(RefusedDocuments.key(query), message);
  }

  /** The refusal of a document seen before, or undefined. */
  refusalOf(query: string): string | undefined {
    return this.messages.size ? this.messages.get(RefusedDocuments.key(query)) : undefined;
  }
}
