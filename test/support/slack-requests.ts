// Real Slack-style requests: v0 signatures (HMAC-SHA256 over `v0:{timestamp}:{body}`).
import { createHash, createHmac } from "node:crypto";

export type SignedOptions = { secret: string; timestamp?: number; signature?: string; retryNum?: number };

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export function signedHeaders(body: string, contentType: string, options: SignedOptions): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": options.signature ?? signature(options.secret, timestamp, body),
    ...(options.retryNum
      ? { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" }
      : {}),
  };
}

export async function postSigned(url: string, body: string, contentType: string, options: SignedOptions) {
  const response = await fetch(url, { method: "POST", headers: signedHeaders(body, contentType, options), body });
  return { status: response.status, text: await response.text() };
}

export function slashCommandBody(input: {
  teamId: string;
  userId: string;
  channelId: string;
  text: string;
  responseUrl: string;
  triggerId?: string;
}): string {
  return new URLSearchParams({
    token: "legacy",
    team_id: input.teamId,
    team_domain: "testdam",
    channel_id: input.channelId,
    channel_name: input.channelId.startsWith("D") ? "directmessage" : "leerlus-team",
    user_id: input.userId,
    user_name: "someone",
    command: "/leerlus",
    text: input.text,
    api_app_id: "ALEERLUS",
    response_url: input.responseUrl,
    // Slack gives every invocation a trigger of its own (it keys the recorded request): here
    // one per distinct command, so building the same body twice gives the same body.
    trigger_id:
      input.triggerId ?? `1337.42.${createHash("sha256").update(JSON.stringify(input)).digest("hex").slice(0, 12)}`,
  }).toString();
}

/** Interactive payloads arrive form-encoded in one `payload` field. */
export function interactiveBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A modal Leerlus opened (`views.open`'s view), submitted by `userId` with these input values. */
export function viewSubmissionBody(input: {
  teamId: string;
  userId: string;
  view: { blocks: unknown[]; private_metadata: string };
  values: Record<string, Record<string, unknown>>;
  viewId?: string;
}): string {
  return interactiveBody({
    type: "view_submission",
    team: { id: input.teamId },
    user: { id: input.userId, team_id: input.teamId },
    api_app_id: "ALEERLUS",
    view: {
      id: input.viewId ?? "V1",
      type: "modal",
      callback_id: "leerlus.form",
      private_metadata: input.view.private_metadata,
      blocks: input.view.blocks,
      state: { values: input.values },
    },
  });
}

export function eventBody(input: { teamId: string; eventId: string; event: Record<string, unknown> }): string {
  return JSON.stringify({
    token: "legacy",
    team_id: input.teamId,
    api_app_id: "ALEERLUS",
    type: "event_callback",
    event_id: input.eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: input.event,
    authorizations: [{ team_id: input.teamId, user_id: "UBOTLEERLUS", is_bot: true, is_enterprise_install: false }],
  });
}

export const FORM = "application/x-www-form-urlencoded";
export const JSON_TYPE = "application/json";
