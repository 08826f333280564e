// Microsoft Teams as a ChatAdapter plus the Express router for POST /api/messages. Inbound
// requests are authenticated by botbuilder on every call; outbound messages go proactively
// through continueConversation with the stored reference.
import { type Activity, type ConversationReference, TurnContext } from "botbuilder";
import type { Router } from "express";
import type { Message } from "../../src/domain/message.ts";
import { type ChatAdapter, DeliveryError, type EventHandler } from "../../src/ports/chat-adapter.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { createInboundRunner } from "../../src/use-cases/adapter-entry.ts";
import { createCloudAdapter } from "./bot-framework.ts";
import { decodeSentRef, encodeSentRef, parseReference, serializeReference } from "./conversation-ref.ts";
import { toDeliveryError } from "./delivery-errors.ts";
import { renderCards } from "./render-card.ts";
import { DEFAULT_TEAMS_SERVICE_URL, type TeamsAdapterConfig } from "./teams-config.ts";
import { createTeamsRouter } from "./teams-inbound.ts";
import { createTeamsRoster } from "./teams-roster.ts";
import { cardActivity, handleTurn, localeOf } from "./teams-turn.ts";

export type TeamsAdapter = { adapter: ChatAdapter; router: Router };

const BOT_FRAMEWORK_SCOPE = "https://api.botframework.com";

export function createTeamsAdapter(config: TeamsAdapterConfig): TeamsAdapter {
  const logger = (config.logger ?? silentLogger).child({ adapter: "teams" });
  const cloud = createCloudAdapter(config);
  const text = (locale: string | undefined) => (key: string, vars?: Record<string, string | number>) =>
    config.text(locale ? localeOf(locale) : (config.defaultLocale ?? "nl"), `teams.${key}`, vars);
  // The Bot Connector each tenant's activities came from, for opening direct conversations.
  const serviceUrls = new Map<string, string>();
  const roster = createTeamsRoster({
    cloud,
    appId: config.appId,
    onServiceUrl: (tenantId, serviceUrl) => serviceUrls.set(tenantId, serviceUrl),
  });
  let handler: EventHandler | undefined;
  // Every activity Leerlus acts on is recorded before Teams gets its answer, and handled by
  // this runner: at once, or after a crash by whichever process polls first.
  const runner = createInboundRunner({
    platform: "teams",
    store: config.receivedEvents,
    logger,
    ...(config.inbound ? { settings: config.inbound } : {}),
  });

  /** Handles a recorded activity in a proactive turn of its conversation (after the 200, or after a crash). */
  async function handleLater(payload: unknown): Promise<void> {
    const current = handler;
    if (!current)
      throw Object.assign(new Error("Leerlus is not handling Teams activities"), { code: "TEAMS_NOT_STARTED" });
    const activity = payload as Activity;
    const reference = TurnContext.getConversationReference(activity) as Partial<ConversationReference>;
    await cloud.continueConversationAsync(config.appId, reference, (context) =>
      handleTurn(context, activity, { handler: current, text, logger, answersInvoke: false }),
    );
  }

  async function sendCards(reference: Partial<ConversationReference>, message: Message): Promise<string[]> {
    const cards = renderCards(message, text(reference.locale));
    const ids: string[] = [];
    await cloud.continueConversationAsync(config.appId, reference, async (context) => {
      for (const content of cards) {
        const response = await context.sendActivity(cardActivity(content, message.fallback));
        ids.push(response?.id ?? "");
      }
    });
    return ids;
  }

  const adapter: ChatAdapter = {
    platform: "teams",

    async start(onEvent) {
      handler = onEvent;
      runner.start(handleLater);
    },

    async stop() {
      await runner.stop();
      handler = undefined;
    },

    async send(conversationRef, message) {
      const reference = parseReference(conversationRef);
      if (!reference) {
        throw new DeliveryError("TEAMS_CONVERSATION_REF_INVALID: not a Teams conversation reference", {
          retryable: false,
        });
      }
      try {
        return encodeSentRef(conversationRef, await sendCards(reference, message));
      } catch (error) {
        throw toDeliveryError(error, "send a message");
      }
    },

    async update(sentRef, message) {
      const sent = decodeSentRef(sentRef);
      const reference = sent ? parseReference(sent.ref) : null;
      if (!sent || !reference) {
        throw new DeliveryError("TEAMS_SENT_REF_INVALID: not a sent Teams message", { retryable: false });
      }
      const cards = renderCards(message, text(reference.locale));
      try {
        await cloud.continueConversationAsync(config.appId, reference, async (context) => {
          for (const [index, content] of cards.entries()) {
            const id = sent.ids[index];
            const activity = cardActivity(content, message.fallback);
            // A message that grew a part gets it as a new message below the others.
            if (id) await context.updateActivity({ ...activity, id, conversation: reference.conversation });
            else await context.sendActivity(activity);
          }
        });
      } catch (error) {
        throw toDeliveryError(error, "update a message");
      }
    },

    async openDirect(userRef) {
      // Teams gives back the existing one-to-one chat when there is one (the app must be
      // installed for the person; otherwise 403, which is final).
      const serviceUrl = serviceUrls.get(userRef.tenantId) ?? config.serviceUrl ?? DEFAULT_TEAMS_SERVICE_URL;
      let reference: string | undefined;
      try {
        await cloud.createConversationAsync(
          config.appId,
          "msteams",
          serviceUrl,
          config.endpoints?.oauthScope ?? BOT_FRAMEWORK_SCOPE,
          {
            isGroup: false,
            bot: { id: `28:${config.appId}`, name: "Leerlus" },
            members: [{ id: roster.teamsIdOf(userRef.tenantId, userRef.platformUserId), name: "" }],
            tenantId: userRef.tenantId,
            channelData: { tenant: { id: userRef.tenantId } },
            activity: undefined as unknown as Activity,
          },
          async (context) => {
            const activity = context.activity;
            reference = serializeReference(
              {
                channelId: "msteams",
                serviceUrl,
                conversation: { ...activity.conversation, tenantId: userRef.tenantId, conversationType: "personal" },
                bot: { id: `28:${config.appId}`, name: "" },
              },
              userRef.tenantId,
            );
          },
        );
      } catch (error) {
        throw toDeliveryError(error, "open a direct conversation");
      }
      if (!reference) throw new DeliveryError("TEAMS_NO_CONVERSATION: no direct conversation", { retryable: true });
      return reference;
    },

    listMembers: (conversationRef) => roster.listMembers(conversationRef),
  };

  const router = createTeamsRouter({
    config,
    cloud,
    runner,
    handler: () => handler,
    handleLater,
    onServiceUrl: (tenantId, serviceUrl) => serviceUrls.set(tenantId, serviceUrl),
    text,
    logger,
  });
  return { adapter, router };
}
