// JSON API of the web chat under /web/api. Inbound posts become InboundEvents for
// the core; the replies it returns are stored as visible to the sender only.
import express, { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { describeMalformation, findMalformation } from "../../src/domain/well-formed.ts";
import type { StoredWebMessage } from "../../src/ports/web-message-store.ts";
import { parseConversationRef } from "./conversation-ref.ts";
import { ownMessage } from "./own-message.ts";
import {
  errorCode,
  errorName,
  requireViewer,
  sendError,
  viewerOf,
  visibleRefs,
  type WebRouteContext,
} from "./web-access.ts";
import type { Viewer } from "./web-config.ts";

const conversationRef = z.string().min(1).max(200);
const actionId = z.string().min(1).max(200);
const commandBody = z.object({ conversationRef, text: z.string().trim().min(1).max(2000) });
const actionBody = z.object({ conversationRef, actionId, value: z.string().max(2000) });
const messageId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
/** A button names the message it is on, so a reply that replaces it can take its place. */
const buttonBody = actionBody.extend({ messageId: messageId.optional() });
const formBody = actionBody.extend({
  answers: z
    .record(z.string().min(1).max(100), z.string().max(5000))
    .refine((answers) => Object.keys(answers).length <= 100, "too many answers"),
});
const formStateBody = actionBody.extend({ messageId });
const MAX_SEQ = 9223372036854775807n; // PostgreSQL's bigint
const MAX_BODY_BYTES = 64 * 1024;
const seqQuery = z.object({
  afterSeq: z
    .string()
    .regex(/^\d{1,19}$/)
    .refine((value) => !/^\d+$/.test(value) || BigInt(value) <= MAX_SEQ)
    .optional(),
});

type EventBody =
  | { type: "command"; text: string; direct?: boolean }
  | { type: "action"; actionId: string; value: string; messageId?: string }
  | { type: "formSubmitted"; actionId: string; value: string; answers: Record<string, string> };

export function createApiRouter(context: WebRouteContext): Router {
  const router = Router();
  router.use((_request, response, next) => {
    response.set("Cache-Control", "no-store");
    next();
  });
  // Sign-in first: nobody gets a body parsed without a session.
  router.use(requireViewer(context));
  router.use(express.json({ limit: MAX_BODY_BYTES }));
  router.use((request, response, next) => {
    // The HTTP app may have parsed the body already under its larger limit.
    if (Number(request.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      return sendError(response, 413, "BODY_TOO_LARGE", "Request body is too large");
    }
    const found = findMalformation(request.body);
    if (found) return sendError(response, 400, "BODY_INVALID", describeMalformation(found));
    next();
  });

  router.get("/me", async (_request, response) => {
    const viewer = viewerOf(response);
    const conversations = await context.config.directory.conversationsFor(viewer.id);
    const personas = context.config.demo ? await context.config.directory.personas() : undefined;
    response.json({
      person: { id: viewer.id, displayName: viewer.displayName, locale: viewer.locale },
      conversations,
      demo: context.config.demo,
      ...(personas ? { personas } : {}),
    });
  });

  router.get("/conversations/:ref/messages", async (request, response) => {
    const viewer = viewerOf(response);
    const ref = String(request.params.ref);
    const query = seqQuery.safeParse(request.query);
    if (!query.success) return sendError(response, 400, "QUERY_INVALID", "afterSeq must be a decimal integer");
    if (!(await checkConversation(context, response, viewer, ref))) return;
    const messages = await context.config.store.list([ref], viewer.id, query.data);
    response.json({ messages: messages.map((stored) => renderForJson(context, viewer, stored)) });
  });

  router.get("/events", async (request, response) => {
    const viewer = viewerOf(response);
    await context.hub.open(request, response, viewer, await visibleRefs(context, viewer));
  });

  router.post("/command", (request, response) =>
    dispatch(context, request, response, commandBody, (body) => ({
      type: "command",
      text: body.text,
      // The person's own direct conversation (checked against the session before dispatch).
      direct: parseConversationRef(body.conversationRef)?.kind === "direct",
    })),
  );
  router.post("/action", (request, response) =>
    dispatch(context, request, response, buttonBody, (body) => ({
      type: "action",
      actionId: body.actionId,
      value: body.value,
      ...(body.messageId ? { messageId: body.messageId } : {}),
    })),
  );
  router.post("/form", (request, response) =>
    dispatch(context, request, response, formBody, (body) => ({
      type: "formSubmitted",
      actionId: body.actionId,
      value: body.value,
      answers: body.answers,
    })),
  );

  // A form kept in the chat asks for itself as it stands for the reader (their current answers);
  // the answer is only that form's HTML, for the page to put in place: nothing is stored.
  router.post("/form-state", async (request, response) => {
    const viewer = viewerOf(response);
    const parsed = formStateBody.safeParse(request.body);
    if (!parsed.success) return sendError(response, 400, "BODY_INVALID", "Invalid request body (form state)");
    const body = parsed.data;
    if (!(await checkConversation(context, response, viewer, body.conversationRef))) return;
    const handler = context.handler();
    if (!handler) return sendError(response, 503, "NOT_STARTED", "The web chat is not accepting events yet");
    const replies = await handler({
      platform: "web",
      tenantId: viewer.organisationId,
      platformUserId: viewer.id,
      conversationRef: body.conversationRef,
      type: "action",
      actionId: body.actionId,
      value: body.value,
    });
    const form = replies
      .flatMap((reply) => reply.blocks)
      .find((block) => block.type === "form" && block.refresh?.actionId === body.actionId);
    if (!form) return response.json({ html: null });
    const now = new Date();
    const stored: StoredWebMessage = {
      id: body.messageId,
      seq: "0",
      conversationRef: body.conversationRef,
      visibleTo: viewer.id,
      message: { fallback: "", blocks: [form] },
      createdAt: now,
      updatedAt: now,
    };
    response.json({ html: context.render(viewer, stored) });
  });

  router.use((_request, response) => sendError(response, 404, "NOT_FOUND", "No such API route"));
  // Express 5 forwards rejected promises here; JSON parse errors arrive with a status.
  router.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const status = typeof error === "object" && error !== null && "status" in error ? Number(error.status) : 500;
    if (response.headersSent) {
      response.end();
    } else if (status === 413) {
      sendError(response, 413, "BODY_TOO_LARGE", "Request body is too large");
    } else if (status >= 400 && status < 500) {
      sendError(response, 400, "BODY_INVALID", "Request body is not valid JSON");
    } else {
      context.logger.error({ code: "WEB_API_FAILED", error: errorName(error) }, "web API request failed");
      sendError(response, 500, "INTERNAL_ERROR", "Something went wrong");
    }
  });
  return router;
}

async function dispatch<T extends { conversationRef: string }>(
  context: WebRouteContext,
  request: Request,
  response: Response,
  schema: z.ZodType<T>,
  toEvent: (body: T) => EventBody,
): Promise<void> {
  const viewer = viewerOf(response);
  const parsed = schema.safeParse(request.body);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.join(".") || "body").join(", ");
    return sendError(response, 400, "BODY_INVALID", `Invalid request body (${where})`);
  }
  const body = parsed.data;
  if (!(await checkConversation(context, response, viewer, body.conversationRef))) return;
  const handler = context.handler();
  if (!handler) return sendError(response, 503, "NOT_STARTED", "The web chat is not accepting events yet");
  if (context.config.available && !context.config.available()) {
    context.logger.debug({ code: "WEB_COMMAND_REFUSED" }, "web command refused while the queues are away");
    return sendError(
      response,
      503,
      "TEMPORARILY_UNAVAILABLE",
      context.config.text(viewer.locale, "web.status.unavailable"),
    );
  }

  const { messageId: sourceId, ...eventBody } = toEvent(body) as EventBody & { messageId?: string };
  const event = {
    platform: "web",
    tenantId: viewer.organisationId,
    platformUserId: viewer.id,
    conversationRef: body.conversationRef,
    ...eventBody,
  } satisfies InboundEvent;
  const stored = [];
  // What the person typed, as their own bubble: stored first, so it comes before the replies.
  if (event.type === "command") {
    stored.push(await context.config.store.append(body.conversationRef, ownMessage(viewer.id, event.text), viewer.id));
  }
  let replies: Awaited<ReturnType<typeof handler>>;
  try {
    replies = await handler(event);
  } catch (error) {
    context.logger.error(
      { code: "WEB_HANDLER_FAILED", eventType: event.type, error: errorName(error), errorCode: errorCode(error) },
      "event handler failed for a web event",
    );
    return sendError(response, 500, "HANDLER_FAILED", "The event could not be handled");
  }

  // The message acted on, as it now reads, is already updated in place (the core's `update`).
  const source = sourceId ? await ownReplyIn(context, viewer, body.conversationRef, sourceId) : null;
  for (const reply of replies.filter((reply) => !reply.updatesSource)) {
    const replaced =
      source && reply.replacesSource
        ? await context.config.store.replace(source.id, { ...reply, replacesSource: undefined })
        : null;
    stored.push(replaced ?? (await context.config.store.append(body.conversationRef, reply, viewer.id)));
  }
  if (stored.length > 0) {
    await context.config.notifier.publish(body.conversationRef).catch((error: unknown) => {
      // Stored already; the page shows the replies from this response and catches up on reconnect.
      context.logger.warn({ code: "WEB_NOTIFY_FAILED", error: errorName(error) }, "could not publish web replies");
    });
  }
  // A form that was not accepted: the page puts each message next to its field.
  const fieldErrors =
    event.type === "formSubmitted" ? replies.find((reply) => reply.fieldErrors)?.fieldErrors : undefined;
  response.json({
    replies: stored.map((message) => renderForJson(context, viewer, message)),
    ...(fieldErrors ? { fieldErrors } : {}),
  });
}

/**
 * The message a button was on, when it is a reply to this viewer alone in this conversation: only
 * such a message may be replaced by the reply to its button (never one others read).
 */
async function ownReplyIn(
  context: WebRouteContext,
  viewer: Viewer,
  conversationRef: string,
  id: string,
): Promise<StoredWebMessage | null> {
  const recent = await context.config.store.list([conversationRef], viewer.id);
  return recent.find((message) => message.id === id && message.visibleTo === viewer.id) ?? null;
}

async function checkConversation(
  context: WebRouteContext,
  response: Response,
  viewer: Viewer,
  ref: string,
): Promise<boolean> {
  if (!parseConversationRef(ref)) {
    sendError(response, 400, "CONVERSATION_REF_INVALID", "Not a web conversation reference");
    return false;
  }
  if (!(await visibleRefs(context, viewer)).includes(ref)) {
    sendError(response, 403, "CONVERSATION_FORBIDDEN", "You are not part of this conversation");
    return false;
  }
  return true;
}

function renderForJson(
  context: WebRouteContext,
  viewer: Viewer,
  stored: Parameters<WebRouteContext["render"]>[1],
): { conversationRef: string; id: string; seq: string; html: string } {
  return {
    conversationRef: stored.conversationRef,
    id: stored.id,
    seq: stored.seq,
    html: context.render(viewer, stored),
  };
}
