import { createHmac } from "node:crypto";
import type { ChatAccount } from "../ports/directory-store.ts";

/**
 * How a chat account is remembered once its person erased their data: a keyed hash, so the
 * record names nobody, yet a channel's member list can tell not to bring that account back.
 */
export function erasedAccountKey(secret: string, account: ChatAccount): string {
  return createHmac("sha256", secret)
    .update(`erased|${account.platform}|${account.tenantId}|${account.platformUserId}`)
    .digest("hex");
}
