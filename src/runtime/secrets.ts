import { createHmac, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config.ts";

export class MissingSecretError extends Error {
  readonly code = "SECRET_MISSING";
}

/**
 * LEERLUS_SECRET signs web links and sessions and keys anonymous answers. The demo keeps
 * a random one in its data folder so a newcomer needs to set nothing.
 */
export async function resolveSecret(config: Config): Promise<string> {
  if (config.secret) return config.secret;
  if (!config.demo) {
    throw new MissingSecretError(
      "LEERLUS_SECRET is not set: set it to a random string of at least 32 characters (e.g. `openssl rand -base64 48`).",
    );
  }
  const file = path.join(config.dataDir, "secret");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const secret = randomBytes(48).toString("base64url");
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

/** Separate keys per purpose, so a leaked session key cannot forge links. */
export function deriveKey(secret: string, purpose: string): string {
  return createHmac("sha256", secret).update(purpose).digest("base64url");
}
