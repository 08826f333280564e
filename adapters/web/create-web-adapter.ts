// The local web chat as a ChatAdapter plus the Express router that serves it.
// Sending stores the message and signals the conversation; the process holding
// the browser connections (which may be another one) pushes it over SSE.
import { type RequestHandler, Router } from "express";
import type { Locale } from "../../src/domain/locale.ts";
import { type ChatAdapter, DeliveryError, type EventHandler } from "../../src/ports/chat-adapter.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { directRef, parseConversationRef } from "./conversation-ref.ts";
import { createGuestRouter } from "./guest-pages.ts";
import { createLessonsRouter } from "./lessons-page.ts";
import { createPortfolioRouter } from "./portfolio-page.ts";
import { renderMessageHtml, type Translate } from "./render-html.ts";
import { errorName, type WebRouteContext } from "./web-access.ts";
import { createApiRouter } from "./web-api.ts";
import type { WebAdapterConfig } from "./web-config.ts";
import { createEventHub } from "./web-events.ts";
import { createNotFoundPage, createPageRouter } from "./web-pages.ts";
import { createSessions } from "./web-session.ts";

export type WebAdapter = {
  adapter: ChatAdapter;
  router: Router;
  /** The localized HTML 404 for page routes; the HTTP app mounts it last, before its JSON 404. */
  notFound: RequestHandler;
};

export function createWebAdapter(config: WebAdapterConfig): WebAdapter {
  const logger = (config.logger ?? silentLogger).child({ adapter: "web" });
  let handler: EventHandler | undefined;

  const translate =
    (locale: Locale): Translate =>
    (key, vars) =>
      config.text(locale, `web.${key}`, vars);
  const render: WebRouteContext["render"] = (viewer, stored) =>
    renderMessageHtml(stored, translate(viewer.locale), { viewerId: viewer.id, locale: viewer.locale });
  const hub = createEventHub({ store: config.store, notifier: config.notifier, render, logger });

  async function signal(conversationRef: string): Promise<void> {
    // Redis is away: the signal could only wait for it, and every browser's live connection
    // went with it, so each catches up from the database when it reconnects.
    if (config.available && !config.available()) return;
    try {
      await config.notifier.publish(conversationRef);
    } catch (error) {
      // The message is stored: failing here would make the queue deliver it twice.
      // Browsers catch up from the database when they reload or reconnect.
      logger.warn({ code: "WEB_NOTIFY_FAILED", error: errorName(error) }, "could not signal a web conversation");
    }
  }

  const adapter: ChatAdapter = {
    platform: "web",

    async start(onEvent) {
      handler = onEvent;
    },

    async stop() {
      handler = undefined;
      await hub.close();
    },

    async send(conversationRef, message, options) {
      if (!parseConversationRef(conversationRef)) {
        throw new DeliveryError("WEB_CONVERSATION_REF_INVALID: not a web conversation reference", {
          retryable: false,
        });
      }
      let stored: Awaited<ReturnType<WebAdapterConfig["store"]["append"]>>;
      try {
        // Keyed by the outbox message: a send repeated after a crash stores nothing new.
        stored = await config.store.append(conversationRef, message, undefined, options?.idempotencyKey);
      } catch (error) {
        throw new DeliveryError("WEB_STORE_FAILED: could not store the web message", { retryable: true, cause: error });
      }
      await signal(conversationRef);
      return stored.id;
    },

    async update(sentRef, message) {
      let stored: Awaited<ReturnType<WebAdapterConfig["store"]["replace"]>>;
      try {
        stored = await config.store.replace(sentRef, message);
      } catch (error) {
        throw new DeliveryError("WEB_STORE_FAILED: could not update the web message", {
          retryable: true,
          cause: error,
        });
      }
      if (!stored) throw new DeliveryError("WEB_MESSAGE_NOT_FOUND: no web message with that id", { retryable: false });
      await signal(stored.conversationRef);
    },

    async openDirect(userRef) {
      return directRef(userRef.platformUserId);
    },
  };

  const context: WebRouteContext = {
    config,
    sessions: createSessions(config),
    hub,
    logger,
    translate,
    render,
    handler: () => handler,
  };
  const router = Router();
  router.use("/web/api", createApiRouter(context));
  if (config.portfolio) router.use(createPortfolioRouter(context, config.portfolio));
  if (config.lessons) router.use(createLessonsRouter(context, config.lessons));
  if (config.guests) router.use(createGuestRouter({ guests: config.guests, text: config.text, logger }));
  router.use(createPageRouter(context));
  return { adapter, router, notFound: createNotFoundPage(context) };
}
