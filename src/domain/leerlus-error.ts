// Leerlus's own failures carry a typed code, so callers and logs tell them apart without
// reading the message (which may quote a person's input). The message still starts with the
// code, for a person reading a log or a CLI's output.

export const ERROR_CODES = [
  "CADENCE_UNSATISFIABLE",
  "DIGEST_DAYS_INVALID",
  "DIGEST_FORMAT_INVALID",
  "DIGEST_NO_ORGANISATION",
  "DIGEST_ORG_NEEDED",
  "MIGRATION_FAILED",
  "FEED_ADDRESS_REFUSED",
  "FEED_HTTP_STATUS",
  "FEED_KEY_UNAVAILABLE",
  "FEED_MALFORMED",
  "FEED_SIGNATURE_INVALID",
  "FEED_TIMEOUT",
  "FEED_TOO_LARGE",
  "FEED_UNREACHABLE",
  "ORGANISATION_UNKNOWN",
  "PORT_IN_USE",
  "PROMPT_KEY_MISSING",
  "PROMPT_PLURAL_INVALID",
  "PROMPT_VAR_MISSING",
  "REDIS_UNAVAILABLE",
  "SLACK_CONFIG_INVALID",
  "STARTER_LIBRARY_INVALID",
  "SLACK_INSTALL_NOT_REGISTERED",
  "SLACK_INSTALL_UNSUPPORTED",
  "SLACK_NOT_INSTALLED",
  "TEAMS_APP_ID_INVALID",
  "TEAMS_MANIFEST_INVALID",
  "TOKEN_KEY_INVALID",
  "TRACKER_CIPHER_MISSING",
  "TRACKER_EXPORT_MISSING",
  "TOKEN_SEALED_INVALID",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class LeerlusError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${code}: ${detail}`, options);
    this.name = "LeerlusError";
    this.code = code;
  }
}
