/**
 * What every stored-password format offers: Django's algorithm name (the text before the first `$`, as
 * Django's identify_hasher reads it), a parser, and a check. Parsing never throws: a value that does not
 * parse is not of the format, and a value of no known format is unusable (it never verifies).
 */
import { timingSafeEqual } from 'node:crypto';

export interface PasswordFormat<Parsed> {
  /** Django's `algorithm` name, e.g. `pbkdf2_sha256`. */
  readonly algorithm: string;
  /** The parts of `encoded`, or undefined when it is not a well-formed value of this format. */
  parse(encoded: string): Parsed | undefined;
  /** Resolves true when `password` produced the parsed hash. Runs off the event loop (libuv's pool). */
  verify(password: string, parsed: Parsed): Promise<boolean>;
}

/** Compares in time that does not depend on where the first difference is (Django's constant_time_compare). */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // timingSafeEqual needs equal lengths; a length mismatch reveals only a length, never a byte.
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A decimal integer field: digits only, no sign, no leading `+`, within JavaScript's safe range. */
export function positiveInteger(text: string | undefined): number | undefined {
  if (!text || !/^[1-9]\d{0,14}$/.test(text)) return undefined;
  return Number(text);
}
