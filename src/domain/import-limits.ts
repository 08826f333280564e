// How big an import may be, and how many of its problems are reported. Imports stream, so
// memory does not grow with the file; the limits bound how long one import's transaction
// stays open and what a person has to read back.

const MB = 1024 * 1024;

/** A lessons file (CSV or JSON) larger than this is refused before it is read. */
export const LESSONS_IMPORT_MAX_BYTES = 100 * MB;

/** A project file is checked whole (a project's rows may be anywhere in it), so it is smaller. */
export const PROJECTS_IMPORT_MAX_BYTES = 20 * MB;

/** At most this many problems are listed; the rest are counted. */
export const MAX_REPORTED_PROBLEMS = 50;

/** One CSV record (or JSON lesson) longer than this is a broken file, not a lesson. */
export const MAX_RECORD_CHARACTERS = 1024 * 1024;

/** Megabytes, as shown to people ("100 MB"). */
export function megabytes(bytes: number): number {
  return Math.round(bytes / MB);
}

/** How long one import's transaction may take; a 50 MB lessons file needs about a minute. */
export const IMPORT_TRANSACTION_TIMEOUT_MS = 10 * 60_000;
