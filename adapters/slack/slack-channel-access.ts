// Slash commands work in every channel, but Leerlus can only post where it is a member. Before
// the setup form opens, Leerlus joins a public channel it is not in (channels:join); a private
// one only a person can invite it to.
import type { webApi } from "@slack/bolt";
import { isDirectChannel } from "./conversation-ref.ts";

export type ChannelAccess = "member" | "joined" | "invite-needed";

export async function ensureChannelAccess(client: webApi.WebClient, channel: string): Promise<ChannelAccess> {
  if (isDirectChannel(channel)) return "member";
  // A private channel the app is not in is "channel_not_found" to it: an invite is needed.
  const info = await client.conversations.info({ channel }).catch(() => null);
  const found = info?.channel as { is_member?: boolean; is_private?: boolean } | undefined;
  if (found?.is_member) return "member";
  if (!found || found.is_private) return "invite-needed";
  const joined = await client.conversations.join({ channel }).catch(() => null);
  return joined?.ok ? "joined" : "invite-needed";
}
