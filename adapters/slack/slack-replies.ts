// The core's replies shown to the person in Slack: ephemerally where others read along,
// as a DM otherwise; a reply holding a form opens it as a modal (with the request's
// trigger_id, which lasts 3 seconds), and a replacing reply overwrites the message acted on.
import type { RespondFn, webApi } from "@slack/bolt";
import { SETUP_SUBMIT } from "../../src/domain/chat-actions.ts";
import type { Locale } from "../../src/domain/locale.ts";
import type { Message } from "../../src/domain/message.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { isDirectChannel } from "./conversation-ref.ts";
import type { ProfileCache } from "./profile-cache.ts";
import { renderMessage, renderMessages, type SlackCopy } from "./render-blocks.ts";
import { type FormMetadata, findForm, renderModal } from "./render-views.ts";
import { ensureChannelAccess } from "./slack-channel-access.ts";
import { errorName } from "./slack-people.ts";

type Client = webApi.WebClient;
export type Where = { client: Client; teamId: string; userId: string; channel?: string; respond?: RespondFn };
/** Where a form's modal comes from and what it carries back on submit. */
export type ModalSource = {
  triggerId: string;
  conversationRef: string;
  source?: { channel: string; ts: string };
  /** A command typed in a channel: Leerlus may not be in it yet (a button pressed there is). */
  checkChannelAccess?: boolean;
};

export type SlackReplies = ReturnType<typeof createSlackReplies>;

export function createSlackReplies(input: {
  copy(locale: Locale): SlackCopy;
  inviteText(locale: Locale): string;
  profiles: ProfileCache;
  logger: Logger;
}) {
  const safely =
    (what: string) =>
    (error: unknown): void =>
      input.logger.warn({ code: "SLACK_REPLY_FAILED", what, err: errorName(error) }, "could not show a reply");

  const copyFor = async (where: Pick<Where, "client" | "teamId" | "userId">) =>
    input.copy(await input.profiles.locale(where.client, where.teamId, where.userId));

  async function show(all: Message[], where: Where): Promise<void> {
    // The message acted on, as it now reads, is already rewritten with chat.update (the core's `update`).
    const replies = all.filter((reply) => !reply.updatesSource);
    if (replies.length === 0) return;
    const copy = await copyFor(where);
    for (const reply of replies) {
      for (const payload of renderMessages(reply, copy)) {
        if (where.respond) {
          await where.respond({ response_type: "ephemeral", replace_original: false, ...payload });
        } else if (where.channel && !isDirectChannel(where.channel)) {
          await where.client.chat.postEphemeral({ channel: where.channel, user: where.userId, ...payload });
        } else {
          await where.client.chat.postMessage({ channel: where.channel ?? where.userId, ...payload });
        }
      }
    }
  }

  /**
   * Opens the modal of each reply that holds a form, replaces the source message with a
   * replacing reply (when `replace` is given), and shows the rest.
   */
  async function deliver(
    replies: Message[],
    where: Where,
    modal: ModalSource,
    replace?: (reply: Message, copy: SlackCopy) => Promise<unknown>,
  ): Promise<void> {
    const locale = await input.profiles.locale(where.client, where.teamId, where.userId);
    const copy = input.copy(locale);
    const rest: Message[] = [];
    for (const reply of replies) {
      if (reply.updatesSource) continue;
      const form = findForm(reply);
      // Setting up a channel Leerlus cannot post in would fail later: invite first, before any form.
      if (form?.submit.actionId === SETUP_SUBMIT && modal.checkChannelAccess && where.channel) {
        if ((await ensureChannelAccess(where.client, where.channel)) === "invite-needed") {
          const text = input.inviteText(locale);
          rest.push({ fallback: text, blocks: [{ type: "paragraph", text: [text] }] });
          continue;
        }
      }
      if (form) {
        const metadata: FormMetadata = {
          actionId: form.submit.actionId,
          value: form.submit.value,
          conversationRef: modal.conversationRef,
          ...(modal.source ? { source: modal.source } : {}),
        };
        const view = renderModal(reply, metadata, copy);
        if (view) await where.client.views.open({ trigger_id: modal.triggerId, view }).catch(safely("views.open"));
      } else if (reply.replacesSource && replace) {
        await replace(reply, copy).catch(safely("replace"));
      } else rest.push(reply);
    }
    await show(rest, where).catch(safely("show"));
  }

  /** Replaces the message a modal came from, or shows the reply where there is none. */
  async function replaceSource(reply: Message, where: Where, source: FormMetadata["source"]): Promise<void> {
    if (!source) return show([reply], where).catch(safely("show"));
    const copy = await copyFor(where);
    await where.client.chat
      .update({ channel: source.channel, ts: source.ts, ...renderMessage(reply, copy) })
      .catch(safely("chat.update"));
  }

  return {
    show: (replies: Message[], where: Where) => show(replies, where).catch(safely("show")),
    deliver,
    replaceSource,
  };
}
