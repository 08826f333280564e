// A Slack channel's member list for the core: conversations.members (paged with cursors), and
// users.info for each person's name, email (users:read.email), language and timezone. Bots,
// Slackbot and deactivated accounts are left out.

import { webApi } from "@slack/bolt";
import pLimit from "p-limit";
import type { ChannelMember } from "../../src/ports/chat-adapter.ts";
import { DeliveryError } from "../../src/ports/chat-adapter.ts";
import { parseConversationRef } from "./conversation-ref.ts";
import { toDeliveryError } from "./slack-errors.ts";

const PAGE_SIZE = 200;
/** users.info is Tier 4 (100+ a minute): a few at a time, and the client waits out a 429. */
const PROFILE_CONCURRENCY = 4;
const SLACKBOT = "USLACKBOT";

export type SlackMembersInput = {
  apiUrl: string | undefined;
  tokenFor(teamId: string): Promise<string>;
};

type SlackUser = {
  id?: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  locale?: string;
  tz?: string;
  profile?: { display_name?: string; real_name?: string; email?: string };
};

/**
 * Unlike sends, a member sync runs in the background and may wait: its client honours
 * Retry-After and retries, so a large channel is read through Slack's rate limits.
 */
function membersClient(token: string, apiUrl: string | undefined): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 },
    rejectRateLimitedCalls: false,
    timeout: 10_000,
  });
}

export function createSlackMembers(input: SlackMembersInput) {
  async function listMembers(conversationRef: string): Promise<ChannelMember[]> {
    const ref = parseConversationRef(conversationRef);
    if (!ref) throw new DeliveryError("SLACK_CONVERSATION_REF_INVALID", { retryable: false });
    // A direct conversation has no channel to read.
    if (ref.userId) return [];
    const client = membersClient(await input.tokenFor(ref.teamId), input.apiUrl);
    const ids: string[] = [];
    try {
      for await (const page of client.paginate("conversations.members", { channel: ref.channel, limit: PAGE_SIZE })) {
        ids.push(...((page as { members?: string[] }).members ?? []));
      }
    } catch (error) {
      throw toDeliveryError(error, "conversations.members");
    }
    const limit = pLimit(PROFILE_CONCURRENCY);
    const users = await Promise.all(ids.map((id) => limit(() => userInfo(client, id))));
    return users.flatMap((user) => (user ? [toMember(user, ref.teamId)] : []));
  }
  return { listMembers };
}

/** The person behind an id, or null for a bot, a deactivated account or someone Slack no longer knows. */
async function userInfo(client: webApi.WebClient, id: string): Promise<SlackUser | null> {
  if (id === SLACKBOT) return null;
  let user: SlackUser | undefined;
  try {
    user = (await client.users.info({ user: id, include_locale: true })).user as SlackUser | undefined;
  } catch (error) {
    const failure = toDeliveryError(error, "users.info");
    if (failure.retryable) throw failure;
    return null;
  }
  if (!user?.id || user.is_bot || user.deleted) return null;
  return user;
}

function toMember(user: SlackUser, teamId: string): ChannelMember {
  const displayName = user.profile?.display_name || user.real_name || user.profile?.real_name || user.name;
  return {
    // People of another workspace in a shared channel carry their own team id.
    tenantId: user.team_id ?? teamId,
    platformUserId: user.id as string,
    displayName: displayName || (user.id as string),
    ...(user.profile?.email ? { email: user.profile.email } : {}),
    ...(user.locale ? { locale: user.locale } : {}),
    ...(user.tz ? { timezone: user.tz } : {}),
  };
}
