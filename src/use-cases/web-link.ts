// Personal links into the web pages: a signed token naming the person, the page to land on
// (in its purpose) and an expiry. Opening one signs that person in to the web session and
// redirects to the page, so the token leaves the address bar at once.
import { createHmac } from "node:crypto";
import { type WebPage, webLinkPurpose } from "../domain/link-purpose.ts";
import type { LinkSigner } from "../ports/link-signer.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { createLinkSigner } from "./signed-link.ts";

export const WEB_LINK_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A key of its own, derived from LEERLUS_SECRET, so neither a digest link nor a session poses as one. */
export function webLinkSigner(secret: string): LinkSigner {
  return createLinkSigner(createHmac("sha256", secret).update("web-link").digest("base64url"));
}

export function webLink(input: {
  signer: LinkSigner;
  publicUrl: string;
  personId: string;
  page: WebPage;
  now: Date;
  days?: number;
}): { url: string; expiresAt: Date } {
  const expiresAt = new Date(input.now.getTime() + (input.days ?? WEB_LINK_DAYS) * DAY_MS);
  const token = input.signer.sign({ personId: input.personId, purpose: webLinkPurpose(input.page), expiresAt });
  // In the query, never the path: request logs keep only the first two path segments.
  return { url: `${input.publicUrl.replace(/\/+$/, "")}/signin?token=${token}`, expiresAt };
}

/** This person's own link to a page, for a message only they will see. */
export function personalWebLink(deps: Deps, person: PersonRecord, page: WebPage): { url: string; expiresAt: Date } {
  return webLink({
    signer: webLinkSigner(deps.secret),
    publicUrl: deps.publicUrl,
    personId: person.id,
    page,
    now: deps.clock.now(),
  });
}

/**
 * Whether a reply in this conversation reaches only this person: web replies are shown to
 * the sender alone and Slack answers commands in channels ephemerally, but a reply in a Teams
 * channel is read by everyone in it, so a personal link goes only to a direct chat there.
 */
export function replyIsPrivate(person: PersonRecord, where: Address): boolean {
  if (where.platform !== "teams") return true;
  return person.directs.some((direct) => direct.conversationRef === where.conversationRef);
}
