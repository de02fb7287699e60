/** A failure of the embedded PostgreSQL, its message naming the cause (and postgres's log, when it ran). */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}
