// The privacy export as a file: the chat gets a short-lived signed link, and opening it
// downloads everything Leerlus keeps about the person as JSON (each download is audited).
// The token names the person and expires soon: a forwarded message does not leak the data
// for long, and a fresh link is one click on *Export my data* away.
import { createHmac } from "node:crypto";
import type { LinkSigner } from "../ports/link-signer.ts";
import { type ExportDownload, PRIVACY_EXPORT_PATH } from "../ports/privacy-export.ts";
import type { Deps } from "./deps.ts";
import { exportPersonalData } from "./privacy.ts";
import { createLinkSigner } from "./signed-link.ts";

export const EXPORT_LINK_MINUTES = 15;
const PURPOSE = "privacy-export";

/** A key of its own, derived from LEERLUS_SECRET, so no other link or session poses as one. */
export function privacyExportSigner(secret: string): LinkSigner {
  return createLinkSigner(createHmac("sha256", secret).update("privacy-export").digest("base64url"));
}

export function privacyExportLink(
  deps: Pick<Deps, "secret" | "publicUrl" | "clock">,
  personId: string,
): { url: string; expiresAt: Date } {
  const expiresAt = new Date(deps.clock.now().getTime() + EXPORT_LINK_MINUTES * 60_000);
  const token = privacyExportSigner(deps.secret).sign({ personId, purpose: PURPOSE, expiresAt });
  // In the query, never the path: request logs keep only the first two path segments.
  return { url: `${deps.publicUrl.replace(/\/+$/, "")}${PRIVACY_EXPORT_PATH}?token=${token}`, expiresAt };
}

/** What a link opens: the person's data as a JSON file, or why not (an erased person's link is invalid). */
export async function downloadPersonalData(
  deps: Pick<Deps, "stores" | "privacy" | "secret" | "clock">,
  token: string,
): Promise<ExportDownload> {
  const now = deps.clock.now();
  const verified = privacyExportSigner(deps.secret).verify(token, now);
  if (!verified.ok) return verified;
  if (verified.purpose !== PURPOSE) return { ok: false, code: "LINK_INVALID" };
  const data = await exportPersonalData(deps, verified.personId, verified.personId);
  if (!data) return { ok: false, code: "LINK_INVALID" };
  return {
    ok: true,
    filename: `leerlus-export-${now.toISOString().slice(0, 10)}.json`,
    body: JSON.stringify(data, null, 2),
  };
}
