/**
 * Typed errors. The CLI maps them to exit codes without a stack trace:
 * InputRejectedError → 1 (the input was rejected), everything else → 2.
 */

export class DubanError extends Error {
  override readonly name: string = 'DubanError';
}

/** The user's input was rejected; the message says why. Exit code 1. */
export class InputRejectedError extends DubanError {
  override readonly name: string = 'InputRejectedError';
  constructor(
    message: string,
    /** Every problem, one line each, for listing. */
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}

/** Wrong command-line usage. Exit code 2. */
export class UsageError extends DubanError {
  override readonly name: string = 'UsageError';
}

/** A required setting is missing or malformed. Exit code 2. */
export class ConfigError extends DubanError {
  override readonly name: string = 'ConfigError';
}

/** A conditional write lost: someone else wrote that version first. */
export class VersionConflictError extends DubanError {
  override readonly name: string = 'VersionConflictError';
  constructor(
    readonly entity: string,
    readonly version: number,
  ) {
    super(`${entity} version ${version} already exists (a concurrent writer won)`);
  }
}

/** A put that must never overwrite found the key already present. */
export class ObjectExistsError extends DubanError {
  override readonly name: string = 'ObjectExistsError';
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`s3://${bucket}/${key} already exists and is never overwritten`);
  }
}

/**
 * The object at a key is no longer the one an event named: its ETag differs (a later PUT of the
 * same key replaced it before it was read, in a bucket without versioning).
 */
export class ObjectChangedError extends DubanError {
  override readonly name: string = 'ObjectChangedError';
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly expectedEtag: string,
    readonly actualEtag: string | undefined,
  ) {
    super(
      `s3://${bucket}/${key} is no longer the object the event named (etag ${actualEtag ?? 'unknown'}, expected ${expectedEtag})`,
    );
  }
}

/** Retries ran out (throttling, UnprocessedItems). */
export class RetriesExhaustedError extends DubanError {
  override readonly name: string = 'RetriesExhaustedError';
}

/** A requested record or object is not there. */
export class NotFoundError extends DubanError {
  override readonly name: string = 'NotFoundError';
}

/**
 * A stored record (table item, manifest, receipt) is not what duban wrote: damaged, edited by
 * hand, or from a version it cannot read. Names the record's key so an operator can find it.
 */
export class CorruptRecordError extends DubanError {
  override readonly name: string = 'CorruptRecordError';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`stored record ${key} is corrupt: ${reason}`);
  }
}
