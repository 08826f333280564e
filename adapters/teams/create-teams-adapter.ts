// Microsoft Teams as a ChatAdapter plus the Express router for POST /api/messages. Inbound
// requests are authenticated by botbuilder on every call; outbound messages go proactively
// through continueConversation with the stored reference.
import { type Activity, type ConversationReference, TurnContext } from "botbuilder";
import express, { type Request, type Response, Router } from "express";
import { z } from "zod";
import type { Message } from "../../src/domain/message.ts";
import { describeMalformation, findMalformation } from "../../src/domain/well-formed.ts";
import { type ChatAdapter, DeliveryError, type EventHandler } from "../../src/ports/chat-adapter.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import type { ReceivedClaim } from "../../src/ports/received-event-store.ts";
import { createInboundRunner } from "../../src/use-cases/adapter-entry.ts";
import { activityKey, activityToEvents } from "./activity-to-event.ts";
import { createCloudAdapter, isAuthenticationError, tokenHasExpiry } from "./bot-framework.ts";
import { decodeSentRef, encodeSentRef, parseReference, serializeReference } from "./conversation-ref.ts";
import { toDeliveryError } from "./delivery-errors.ts";
import { localAnonymousRefusal } from "./local-anonymous.ts";
import { renderCards } from "./render-card.ts";
import { DEFAULT_TEAMS_SERVICE_URL, type TeamsAdapterConfig } from "./teams-config.ts";
import { createTeamsRoster } from "./teams-roster.ts";
import { cardActivity, handleTurn, localeOf } from "./teams-turn.ts";

export type TeamsAdapter = { adapter: ChatAdapter; router: Router };

const BOT_FRAMEWORK_SCOPE = "https://api.botframework.com";

// The least an activity needs before botbuilder sees it; anything else is a 400, not a crash.
const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  serviceUrl: z.url(),
  channelId: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: z.looseObject({ id: z.string().min(1) }),
});

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

  const router = Router();
  // The HTTP app parses JSON first (bad JSON is its 400); this parser covers other mounts.
  router.post("/api/messages", express.json({ limit: "1mb" }), async (request: Request, response: Response) => {
    const parsed = activitySchema.safeParse(request.body);
    const malformed = parsed.success ? findMalformation(request.body) : null;
    if (!parsed.success || malformed) {
      const message = malformed
        ? describeMalformation(malformed)
        : "The body is not a Bot Framework activity (type, serviceUrl, channelId, conversation.id, from.id).";
      response.status(400).json({ error: { code: "TEAMS_ACTIVITY_INVALID", message } });
      return;
    }
    if (config.localAnonymous) {
      const refusal = localAnonymousRefusal({
        headers: request.headers,
        remoteAddress: request.socket.remoteAddress,
        serviceUrl: parsed.data.serviceUrl,
      });
      if (refusal) {
        logger.warn({ code: refusal.code }, "refused a Teams request in the local anonymous mode");
        response.status(403).json({ error: refusal });
        return;
      }
    }
    if (!tokenHasExpiry(request.headers.authorization)) {
      logger.warn({ code: "TEAMS_UNAUTHORIZED" }, "rejected a Teams token without an expiry");
      response.status(401).json({ error: { code: "TEAMS_UNAUTHORIZED", message: "The token has no expiry time." } });
      return;
    }
    const activity = parsed.data as unknown as Activity;
    const current = handler;
    if (!current) {
      response
        .status(503)
        .json({ error: { code: "TEAMS_NOT_STARTED", message: "Leerlus is starting; send the activity again." } });
      return;
    }
    // Everything botbuilder does before our logic runs is authentication; a failure there
    // (a forged signature surfaces as a plain JsonWebTokenError) is a 401, never a 500.
    let authenticated = false;
    let later: ReceivedClaim | null = null;
    try {
      const invoke = await cloud.handle(request.headers.authorization ?? "", activity, async (context) => {
        authenticated = true;
        // Only after authentication: an unauthenticated caller must not steer where we send.
        const tenantId = (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
        if (tenantId && context.activity.serviceUrl) serviceUrls.set(tenantId, context.activity.serviceUrl);
        const mapped = activityToEvents(context.activity);
        if (mapped.kind === "ignored") {
          logger.debug({ reason: mapped.reason, type: context.activity.type }, "teams activity ignored");
          return;
        }
        // Recorded before Teams gets its answer; one Teams delivers again is handled once.
        const claim = await runner.receive(activityKey(context.activity), context.activity);
        if (!claim) {
          logger.debug({ type: context.activity.type }, "teams activity already handled");
          if (mapped.kind === "execute") await context.sendActivity(handledInvoke());
          return;
        }
        // An invoke's answer is the card it returns: handled here, in its request.
        if (mapped.kind === "execute") {
          await runner.run(claim, () =>
            handleTurn(context, context.activity, { handler: current, text, logger, answersInvoke: true }),
          );
        } else later = claim;
      });
      response.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) response.json(invoke.body);
      else response.end();
      // After the 200: Teams does not wait for the core, and the record keeps the activity.
      const claim = later as ReceivedClaim | null;
      if (claim) void runner.run(claim, () => handleLater(activity));
    } catch (error) {
      if (!authenticated || isAuthenticationError(error)) {
        logger.warn({ code: "TEAMS_UNAUTHORIZED" }, "rejected a Teams request without a valid token");
        response.status(401).json({
          error: { code: "TEAMS_UNAUTHORIZED", message: "The request carries no valid Bot Framework token." },
        });
        return;
      }
      logger.error({ code: "TEAMS_TURN_FAILED", err: errorName(error) }, "could not handle a Teams activity");
      // Not recorded (the database is away): 500 makes Teams deliver the activity again.
      response.status(500).json({
        error: { code: "TEAMS_TURN_FAILED", message: "The activity could not be handled; Teams will retry." },
      });
    }
  });
  return { adapter, router };
}

/** The answer to an invoke that was handled before: Teams needs one, the card was updated then. */
function handledInvoke(): Partial<Activity> {
  return {
    type: "invokeResponse",
    value: { status: 200, body: { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "" } },
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : "unknown";
}
