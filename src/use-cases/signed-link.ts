// Signed, expiring tokens for links into the web pages (and the web session cookie).
// Format: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, first part)).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { LinkSigner } from "../ports/link-signer.ts";

const MAX_TOKEN_LENGTH = 2048;

export function createLinkSigner(secret: string): LinkSigner {
  if (secret.length < 16) throw new RangeError("LINK_SECRET_TOO_SHORT: use a secret of at least 16 characters");
  const mac = (data: string): Buffer => createHmac("sha256", secret).update(data).digest();

  return {
    sign({ personId, purpose, expiresAt }) {
      const expiry = expiresAt.getTime();
      if (!Number.isFinite(expiry)) throw new RangeError("LINK_EXPIRY_INVALID: expiresAt is not a valid date");
      const body = Buffer.from(JSON.stringify({ p: personId, u: purpose, e: expiry })).toString("base64url");
      return `${body}.${mac(body).toString("base64url")}`;
    },

    verify(token, now) {
      const invalid = { ok: false, code: "LINK_INVALID" } as const;
      if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return invalid;
      const parts = token.split(".");
      if (parts.length !== 2) return invalid;
      const [body, signature] = parts as [string, string];
      const given = Buffer.from(signature, "base64url");
      const expected = mac(body);
      // Length first: timingSafeEqual throws on unequal lengths.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
      // Round-tripping rejects non-canonical base64url that decodes to the same bytes.
      if (given.toString("base64url") !== signature) return invalid;
      const payload = parsePayload(body);
      if (!payload) return invalid;
      if (now.getTime() >= payload.e) return { ok: false, code: "LINK_EXPIRED" };
      return { ok: true, personId: payload.p, purpose: payload.u };
    },
  };
}

function parsePayload(body: string): { p: string; u: string; e: number } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return null;
    const { p, u, e } = value as Record<string, unknown>;
    if (typeof p !== "string" || p === "" || typeof u !== "string" || typeof e !== "number" || !Number.isFinite(e)) {
      return null;
    }
    return { p, u, e };
  } catch {
    return null;
  }
}
