// Who may see which web conversation, and the JSON error shape every API answer uses.
import type { NextFunction, Request, Response } from "express";
import type { EventHandler } from "../../src/ports/chat-adapter.ts";
import type { Logger } from "../../src/ports/logger.ts";
import type { StoredWebMessage } from "../../src/ports/web-message-store.ts";
import { directRef } from "./conversation-ref.ts";
import type { Translate } from "./render-html.ts";
import type { Viewer, WebAdapterConfig } from "./web-config.ts";
import type { EventHub } from "./web-events.ts";
import type { Sessions } from "./web-session.ts";

/** What the page and API routes share, built once by createWebAdapter. */
export type WebRouteContext = {
  config: WebAdapterConfig;
  sessions: Sessions;
  hub: EventHub;
  logger: Logger;
  translate: (locale: Viewer["locale"]) => Translate;
  render: (viewer: Viewer, stored: StoredWebMessage) => string;
  handler: () => EventHandler | undefined;
};

export function sendError(response: Response, status: number, code: string, message: string): void {
  response.status(status).json({ error: { code, message } });
}

/** A person always sees their own direct messages, plus whatever the directory grants. */
export async function visibleRefs(context: WebRouteContext, viewer: Viewer): Promise<string[]> {
  const conversations = await context.config.directory.conversationsFor(viewer.id);
  return [...new Set([directRef(viewer.id), ...conversations.map((conversation) => conversation.ref)])];
}

/** API guard: 401 JSON without a valid session; otherwise the viewer is in `res.locals.viewer`. */
export function requireViewer(context: WebRouteContext) {
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    const viewer = await context.sessions.viewer(request);
    if (!viewer) {
      sendError(response, 401, "NOT_SIGNED_IN", "Open the web chat through a signed link first");
      return;
    }
    response.locals.viewer = viewer;
    next();
  };
}

export function viewerOf(response: Response): Viewer {
  return response.locals.viewer as Viewer;
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** An error's code when it has one (LeerlusError's, Prisma's, Node's); never its message, which may hold personal data. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  return "code" in error && typeof error.code === "string" ? error.code : undefined;
}
