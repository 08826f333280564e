// Signed, expiring tokens for links into the web pages (and the web session cookie). The core
// signs them into chat messages; the web pages verify them. Implemented by
// src/use-cases/signed-link.ts.

export type LinkPayload = { personId: string; purpose: string; expiresAt: Date };

export type LinkVerification =
  | { ok: true; personId: string; purpose: string }
  | { ok: false; code: "LINK_INVALID" | "LINK_EXPIRED" };

export type LinkSigner = {
  sign(payload: LinkPayload): string;
  verify(token: string, now: Date): LinkVerification;
};
