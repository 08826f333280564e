const CODE = /^[A-Z0-9_]{1,40}$/;

/**
 * A failed save's error code for the operator: Prisma's (P2028), PostgreSQL's (23505, P0001;
 * Prisma's driver adapter carries it as the cause's original code) or the error's class name.
 * Never its message, which may quote the file.
 */
export function errorCode(error: unknown): string {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { originalCode?: unknown; code?: unknown } };
  for (const candidate of [code, cause?.originalCode, cause?.code]) {
    if (typeof candidate === "string" && CODE.test(candidate)) return candidate;
  }
  return error instanceof Error ? error.name : "unknown";
}
