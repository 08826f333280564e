// POST /api/messages: a Teams activity checked (shape, local anonymous mode, token expiry),
// authenticated by botbuilder, recorded before Teams gets its answer, then handled: an
// invoke in its request (its answer is the card), anything else after the 200.
import type { Activity } from "botbuilder";
import express, { type Request, type Response, Router } from "express";
import { z } from "zod";
import { describeMalformation, findMalformation } from "../../src/domain/well-formed.ts";
import type { EventHandler } from "../../src/ports/chat-adapter.ts";
import type { InboundRunner } from "../../src/ports/inbound-runner.ts";
import type { Logger } from "../../src/ports/logger.ts";
import type { ReceivedClaim } from "../../src/ports/received-event-store.ts";
import { activityKey, activityToEvents } from "./activity-to-event.ts";
import { isAuthenticationError, type LeerlusCloudAdapter, tokenHasExpiry } from "./bot-framework.ts";
import { localAnonymousRefusal } from "./local-anonymous.ts";
import type { TeamsAdapterConfig } from "./teams-config.ts";
import { handleTurn, type TurnDeps } from "./teams-turn.ts";

// The least an activity needs before botbuilder sees it; anything else is a 400, not a crash.
const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  serviceUrl: z.url(),
  channelId: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: z.looseObject({ id: z.string().min(1) }),
});

export type TeamsInbound = {
  config: TeamsAdapterConfig;
  cloud: LeerlusCloudAdapter;
  runner: InboundRunner;
  handler(): EventHandler | undefined;
  /** Handles a recorded activity in a proactive turn of its conversation (after the 200, or after a crash). */
  handleLater(payload: unknown): Promise<void>;
  /** The Bot Connector a tenant's activities come from, for opening direct conversations. */
  onServiceUrl(tenantId: string, serviceUrl: string): void;
  text: TurnDeps["text"];
  logger: Logger;
};

/** The activity, or null after answering a request that is malformed, not allowed here or has a token without expiry. */
function refuseInvalid(ctx: TeamsInbound, request: Request, response: Response): Activity | null {
  const parsed = activitySchema.safeParse(request.body);
  const malformed = parsed.success ? findMalformation(request.body) : null;
  if (!parsed.success || malformed) {
    const message = malformed
      ? describeMalformation(malformed)
      : "The body is not a Bot Framework activity (type, serviceUrl, channelId, conversation.id, from.id).";
    response.status(400).json({ error: { code: "TEAMS_ACTIVITY_INVALID", message } });
    return null;
  }
  if (ctx.config.localAnonymous) {
    const refusal = localAnonymousRefusal({
      headers: request.headers,
      remoteAddress: request.socket.remoteAddress,
      serviceUrl: parsed.data.serviceUrl,
    });
    if (refusal) {
      ctx.logger.warn({ code: refusal.code }, "refused a Teams request in the local anonymous mode");
      response.status(403).json({ error: refusal });
      return null;
    }
  }
  if (!tokenHasExpiry(request.headers.authorization)) {
    ctx.logger.warn({ code: "TEAMS_UNAUTHORIZED" }, "rejected a Teams token without an expiry");
    response.status(401).json({ error: { code: "TEAMS_UNAUTHORIZED", message: "The token has no expiry time." } });
    return null;
  }
  return parsed.data as unknown as Activity;
}

export function createTeamsRouter(ctx: TeamsInbound): Router {
  const router = Router();
  // The HTTP app parses JSON first (bad JSON is its 400); this parser covers other mounts.
  router.post("/api/messages", express.json({ limit: "1mb" }), async (request: Request, response: Response) => {
    const activity = refuseInvalid(ctx, request, response);
    if (!activity) return;
    const current = ctx.handler();
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
      const invoke = await ctx.cloud.handle(request.headers.authorization ?? "", activity, async (context) => {
        authenticated = true;
        // Only after authentication: an unauthenticated caller must not steer where we send.
        const tenantId = (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
        if (tenantId && context.activity.serviceUrl) ctx.onServiceUrl(tenantId, context.activity.serviceUrl);
        const mapped = activityToEvents(context.activity);
        if (mapped.kind === "ignored") {
          ctx.logger.debug({ reason: mapped.reason, type: context.activity.type }, "teams activity ignored");
          return;
        }
        // Recorded before Teams gets its answer; one Teams delivers again is handled once.
        const claim = await ctx.runner.receive(activityKey(context.activity), context.activity);
        if (!claim) {
          ctx.logger.debug({ type: context.activity.type }, "teams activity already handled");
          if (mapped.kind === "execute") await context.sendActivity(handledInvoke());
          return;
        }
        // An invoke's answer is the card it returns: handled here, in its request.
        if (mapped.kind === "execute") {
          await ctx.runner.run(claim, () =>
            handleTurn(context, context.activity, {
              handler: current,
              text: ctx.text,
              logger: ctx.logger,
              answersInvoke: true,
            }),
          );
        } else later = claim;
      });
      response.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) response.json(invoke.body);
      else response.end();
      // After the 200: Teams does not wait for the core, and the record keeps the activity.
      const claim = later as ReceivedClaim | null;
      if (claim) void ctx.runner.run(claim, () => ctx.handleLater(activity));
    } catch (error) {
      if (!authenticated || isAuthenticationError(error)) {
        ctx.logger.warn({ code: "TEAMS_UNAUTHORIZED" }, "rejected a Teams request without a valid token");
        response.status(401).json({
          error: { code: "TEAMS_UNAUTHORIZED", message: "The request carries no valid Bot Framework token." },
        });
        return;
      }
      ctx.logger.error({ code: "TEAMS_TURN_FAILED", err: errorName(error) }, "could not handle a Teams activity");
      // Not recorded (the database is away): 500 makes Teams deliver the activity again.
      response.status(500).json({
        error: { code: "TEAMS_TURN_FAILED", message: "The activity could not be handled; Teams will retry." },
      });
    }
  });
  return router;
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
