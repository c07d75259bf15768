/**
 * A request to an IVOA service that the caller can fix (unknown RESPONSEFORMAT, bad MAXREC, bad
 * POS ...). The HTTP layer answers it with status 400 and a VOTable error document
 * (votableErrorDocument) whose QUERY_STATUS INFO carries this message, as DALI asks.
 */
export class VoUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoUsageError';
  }
}
