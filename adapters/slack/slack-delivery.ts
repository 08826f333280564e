// Outbound: the ChatAdapter's send, update and openDirect over the Slack Web API.
import { webApi } from "@slack/bolt";
import type { Locale } from "../../src/domain/locale.ts";
import type { Message } from "../../src/domain/message.ts";
import { DeliveryError, type SentRef } from "../../src/ports/chat-adapter.ts";
import { conversationRef, directRefFor, parseConversationRef, parseSentRef, sentRef } from "./conversation-ref.ts";
import type { ProfileCache } from "./profile-cache.ts";
import { renderMessage, renderMessages, type SlackCopy } from "./render-blocks.ts";
import { toDeliveryError } from "./slack-errors.ts";

/**
 * The Web API client's own retries are off: a rate limit or failure goes back to the
 * delivery queue, which holds back that workspace alone for Retry-After and tries again
 * without losing anything.
 */
export function webClientOptions(apiUrl: string | undefined): webApi.WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
}

export type SlackDeliveryInput = {
  apiUrl: string | undefined;
  /** The bot token for a workspace; throws a non-retryable DeliveryError when there is none. */
  tokenFor(teamId: string): Promise<string>;
  /** The language of a person for the adapter's own copy (notes, buttons). */
  profiles: ProfileCache;
  copy(locale: Locale): SlackCopy;
};

export function createSlackDelivery(input: SlackDeliveryInput) {
  const clients = new Map<string, webApi.WebClient>();
  // Whose direct conversation a channel is, so an update speaks the same language as the send.
  const channelUsers = new Map<string, string>();
  async function clientFor(teamId: string): Promise<webApi.WebClient> {
    const token = await input.tokenFor(teamId);
    let client = clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, webClientOptions(input.apiUrl));
      clients.set(token, client);
    }
    return client;
  }

  return {
    clientFor,
    tokenFor: input.tokenFor,

    /** Forgets clients, e.g. after tokens were revoked. */
    reset(): void {
      clients.clear();
    },

    async send(conversationRef: string, message: Message): Promise<SentRef> {
      const ref = parseConversationRef(conversationRef);
      if (!ref) throw new DeliveryError("SLACK_CONVERSATION_REF_INVALID", { retryable: false });
      const client = await clientFor(ref.teamId);
      const copy = input.copy(await input.profiles.locale(client, ref.teamId, ref.userId));
      if (ref.userId) channelUsers.set(ref.channel, ref.userId);
      let first: SentRef | undefined;
      // A message over 50 blocks goes out as several; the first one is the reference to update.
      for (const payload of renderMessages(message, copy)) {
        try {
          const result = await client.chat.postMessage({ channel: ref.channel, ...payload, unfurl_links: false });
          first ??= sentRef(ref.teamId, result.channel ?? ref.channel, result.ts ?? "");
        } catch (error) {
          throw toDeliveryError(error, "chat.postMessage");
        }
      }
      return first as SentRef;
    },

    async update(sent: SentRef, message: Message): Promise<void> {
      const ref = parseSentRef(sent);
      if (!ref) throw new DeliveryError("SLACK_SENT_REF_INVALID", { retryable: false });
      const client = await clientFor(ref.teamId);
      const copy = input.copy(await input.profiles.locale(client, ref.teamId, channelUsers.get(ref.channel)));
      try {
        await client.chat.update({ channel: ref.channel, ts: ref.ts, ...renderMessage(message, copy) });
      } catch (error) {
        throw toDeliveryError(error, "chat.update");
      }
    },

    async openDirect(userRef: { tenantId: string; platformUserId: string }): Promise<string> {
      const client = await clientFor(userRef.tenantId);
      try {
        const opened = await client.conversations.open({ users: userRef.platformUserId });
        const channel = opened.channel?.id;
        // Posting to the user id also reaches the app's direct messages.
        return channel
          ? conversationRef(userRef.tenantId, channel, userRef.platformUserId)
          : directRefFor(userRef.tenantId, userRef.platformUserId);
      } catch (error) {
        throw toDeliveryError(error, "conversations.open");
      }
    },
  };
}

export type SlackDelivery = ReturnType<typeof createSlackDelivery>;
