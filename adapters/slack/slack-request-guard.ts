// In front of Bolt on POST /slack/events: checks the signature itself, refuses what Bolt
// would choke on with a clear 4xx (Bolt answers `payload=null` with a 500, and hands an
// interaction without a user to its listeners), and acts on each signed request once.
// A signature covers the timestamp and the body, so an exact copy carries the same one;
// remembering it for the whole window in which the timestamp is accepted (five minutes
// either way) makes a replay harmless. Slack's own retries are new requests with new
// signatures, and events among them are deduplicated by event id further on.
import { createHmac, timingSafeEqual } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { describeMalformation, findMalformation } from "../../src/domain/well-formed.ts";
import type { Logger } from "../../src/ports/logger.ts";
import type { ReplayMemory } from "../../src/ports/replay-memory.ts";

const WINDOW_SECONDS = 5 * 60;
/** A signature stays acceptable until its timestamp is five minutes old, at most ten from now. */
const REMEMBER_SECONDS = 2 * WINDOW_SECONDS;
const FORM = "application/x-www-form-urlencoded";
/** Interactive payloads that always name the person who acted. */
const PERSONAL_PAYLOADS = new Set(["block_actions", "view_submission", "view_closed", "shortcut", "message_action"]);

const named = z.string().min(1).max(255);
const slashCommand = z.looseObject({ command: named, user_id: named, team_id: named, channel_id: named });
const payload = z.looseObject({ type: named });
const personal = z.looseObject({ user: z.looseObject({ id: named }) });
const eventEnvelope = z.looseObject({
  type: named,
  event: z.looseObject({ type: named, user: named.optional() }).optional(),
});

type Refusal = { status: number; code: string; message: string };

function refuse(response: Response, refusal: Refusal): void {
  response.status(refusal.status).json({ error: { code: refusal.code, message: refusal.message } });
}

function signatureProblem(request: Request, body: Buffer, secret: string, now: number): Refusal | null {
  const signature = request.get("x-slack-signature") ?? "";
  const timestamp = Number(request.get("x-slack-request-timestamp"));
  const refusal = {
    status: 401,
    code: "SLACK_SIGNATURE_INVALID",
    message: "The request is not signed by Slack, or its timestamp is more than five minutes off.",
  };
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > WINDOW_SECONDS) return refusal;
  const expected = Buffer.from(
    `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : refusal;
}

function invalid(message: string): Refusal {
  return { status: 400, code: "SLACK_PAYLOAD_INVALID", message };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** What Bolt would read from the body, checked; null when it may go on. */
function payloadProblem(contentType: string | undefined, text: string): Refusal | null {
  let value: unknown;
  if (contentType === FORM) {
    const form = Object.fromEntries(new URLSearchParams(text));
    if ("payload" in form) {
      const parsed = parseJson(form.payload ?? "");
      if (!parsed.ok) return invalid("The payload field is not valid JSON.");
      if (!payload.safeParse(parsed.value).success) return invalid("The payload is not an object with a type.");
      const type = (parsed.value as { type: string }).type;
      if (PERSONAL_PAYLOADS.has(type) && !personal.safeParse(parsed.value).success) {
        return invalid("The payload names no user.");
      }
      value = parsed.value;
    } else {
      if ("command" in form && !slashCommand.safeParse(form).success) {
        return invalid("The slash command lacks its user, team or channel.");
      }
      value = form;
    }
  } else {
    const parsed = parseJson(text);
    if (!parsed.ok) return invalid("The body is not valid JSON.");
    if (!eventEnvelope.safeParse(parsed.value).success) {
      return invalid("The body is not an event envelope with a type (and a well-formed event).");
    }
    value = parsed.value;
  }
  const found = findMalformation(value);
  return found ? invalid(describeMalformation(found)) : null;
}

export function slackRequestGuard(input: {
  signingSecret: string;
  replayMemory: ReplayMemory;
  logger: Logger;
  now?: () => number;
}) {
  const now = input.now ?? (() => Math.floor(Date.now() / 1000));
  const readBody = express.raw({ type: () => true, limit: "1mb" });
  const check = async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const problem =
      signatureProblem(request, body, input.signingSecret, now()) ??
      payloadProblem(request.get("content-type"), body.toString("utf8"));
    if (problem) return refuse(response, problem);
    const signature = request.get("x-slack-signature") as string;
    if (!(await input.replayMemory.firstTime(`slack:${signature}`, REMEMBER_SECONDS))) {
      input.logger.info({ code: "SLACK_REPLAY_IGNORED" }, "a Slack request arrived again; acted on once");
      response.status(200).end();
      return;
    }
    // Bolt reads the body from here instead of the (already consumed) stream.
    (request as Request & { rawBody?: Buffer }).rawBody = body;
    next();
  };
  return [readBody, check];
}
