// The links in a guest's mail: one to answer one cycle (the person and the cycle are signed
// into it, so it opens that guest's form for that retro and nothing else), and one to
// unsubscribe from the project's mails. A key of their own, derived from LEERLUS_SECRET, so
// neither a web-chat link nor a digest link poses as one.
import { createHmac } from "node:crypto";
import type { LinkSigner } from "../../ports/link-signer.ts";
import type { Deps } from "../deps.ts";
import { createLinkSigner } from "../signed-link.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** After its retro closes an answer link still says "closed" (not "expired") for this long. */
const ANSWER_LINK_GRACE_DAYS = 30;
/** Long enough for an old mail's unsubscribe link to work, as RFC 8058 expects. */
const UNSUBSCRIBE_LINK_DAYS = 365;

const ANSWER = "guest:answer:";
const UNSUBSCRIBE = "guest:unsubscribe:";

export type GuestLink =
  | { ok: true; personId: string; kind: "answer"; cycleId: string }
  | { ok: true; personId: string; kind: "unsubscribe"; projectId: string }
  | { ok: false; code: "LINK_INVALID" | "LINK_EXPIRED" };

export function guestLinkSigner(secret: string): LinkSigner {
  return createLinkSigner(createHmac("sha256", secret).update("guest-link").digest("base64url"));
}

/** A link to `path` with the token in the query (request logs drop queries). */
function signedLink(
  deps: Pick<Deps, "publicUrl" | "secret">,
  path: string,
  payload: { personId: string; purpose: string; expiresAt: Date },
): string {
  return `${deps.publicUrl.replace(/\/+$/, "")}${path}?token=${guestLinkSigner(deps.secret).sign(payload)}`;
}

/** The link to one cycle's form for one guest. */
export function guestAnswerLink(
  deps: Pick<Deps, "publicUrl" | "secret">,
  input: { personId: string; cycleId: string; closesAt: Date },
): string {
  const expiresAt = new Date(input.closesAt.getTime() + ANSWER_LINK_GRACE_DAYS * DAY_MS);
  return signedLink(deps, "/guest", { personId: input.personId, purpose: `${ANSWER}${input.cycleId}`, expiresAt });
}

export function guestUnsubscribeLink(
  deps: Pick<Deps, "publicUrl" | "secret">,
  input: { personId: string; projectId: string; now: Date },
): string {
  const expiresAt = new Date(input.now.getTime() + UNSUBSCRIBE_LINK_DAYS * DAY_MS);
  const purpose = `${UNSUBSCRIBE}${input.projectId}`;
  return signedLink(deps, "/guest/unsubscribe", { personId: input.personId, purpose, expiresAt });
}

export function verifyGuestLink(deps: Pick<Deps, "secret">, token: string, now: Date): GuestLink {
  const verified = guestLinkSigner(deps.secret).verify(token, now);
  if (!verified.ok) return verified;
  const { personId, purpose } = verified;
  if (purpose.startsWith(ANSWER) && purpose.length > ANSWER.length) {
    return { ok: true, personId, kind: "answer", cycleId: purpose.slice(ANSWER.length) };
  }
  if (purpose.startsWith(UNSUBSCRIBE) && purpose.length > UNSUBSCRIBE.length) {
    return { ok: true, personId, kind: "unsubscribe", projectId: purpose.slice(UNSUBSCRIBE.length) };
  }
  return { ok: false, code: "LINK_INVALID" };
}
