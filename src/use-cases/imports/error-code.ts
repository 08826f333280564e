const CODE = /^[A-Z0-9_]{1,40}$/;

/**
 * A failed save's error code for the operator: PostgreSQL's SQLSTATE (23505, 57014, P0001;
 * on the error or its cause), Leerlus's own, or the error's class name. Never its message,
 * which may quote the file.
 */
export function errorCode(error: unknown): string {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  for (const candidate of [code, cause?.code]) {
    if (typeof candidate === "string" && CODE.test(candidate)) return candidate;
  }
  return error instanceof Error ? error.name : "unknown";
}
