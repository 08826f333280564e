// Links to the digest page: a signed token naming the adviser and their organisation,
// valid for two weeks by default. The page checks the person is still an adviser there.
import { createHmac } from "node:crypto";
import { digestPurpose } from "../../domain/link-purpose.ts";
import type { LinkSigner } from "../../ports/link-signer.ts";
import { createLinkSigner } from "../signed-link.ts";

export const DIGEST_LINK_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A key of its own, derived from LEERLUS_SECRET, so a web-chat link can't open a digest. */
export function digestLinkSigner(secret: string): LinkSigner {
  return createLinkSigner(createHmac("sha256", secret).update("digest-link").digest("base64url"));
}

export function digestLink(input: {
  signer: LinkSigner;
  publicUrl: string;
  digestId: string;
  organisationId: string;
  personId: string;
  now: Date;
  days?: number;
}): { url: string; token: string; expiresAt: Date } {
  const expiresAt = new Date(input.now.getTime() + (input.days ?? DIGEST_LINK_DAYS) * DAY_MS);
  const token = input.signer.sign({
    personId: input.personId,
    purpose: digestPurpose(input.organisationId),
    expiresAt,
  });
  const base = input.publicUrl.replace(/\/+$/, "");
  return { url: `${base}/digests/${encodeURIComponent(input.digestId)}?token=${token}`, token, expiresAt };
}
