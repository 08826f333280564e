// Which Slack requests are recorded before they are acknowledged, and under what key: the
// ones whose handling may change something. Slack retries an event under its event_id;
// commands and interactions carry a trigger_id of their own (a body without one is keyed
// by its digest: only an exact copy is the same request).
import { createHash } from "node:crypto";
import { OPEN_FORM_ACTION } from "../../src/domain/chat-actions.ts";
import { baseActionId } from "./render-blocks.ts";
import { FORM_CALLBACK_ID } from "./render-views.ts";

/** Event types Leerlus acts on (once each, however often Slack retries them); others are not recorded. */
const RECORDED_EVENTS = new Set([
  "message",
  "member_joined_channel",
  "app_home_opened",
  "app_uninstalled",
  "tokens_revoked",
]);

type Body = Record<string, unknown>;

export function recordKey(body: Body): string | null {
  if (body.type === "event_callback") {
    const event = body.event as { type?: unknown } | undefined;
    const eventId = body.event_id;
    if (typeof eventId !== "string" || typeof event?.type !== "string") return null;
    return RECORDED_EVENTS.has(event.type) ? `event:${eventId}` : null;
  }
  if (typeof body.command === "string") return body.command === "/leerlus" ? requestKey(body) : null;
  if (body.type === "block_actions") {
    const [action] = (body.actions as { action_id?: unknown }[] | undefined) ?? [];
    // The Answer button only opens the form (its trigger_id lasts 3 s): nothing to keep.
    if (typeof action?.action_id !== "string" || baseActionId(action.action_id) === OPEN_FORM_ACTION) return null;
    return requestKey(body);
  }
  if (body.type === "view_submission") {
    const view = body.view as { callback_id?: unknown } | undefined;
    return view?.callback_id === FORM_CALLBACK_ID ? requestKey(body) : null;
  }
  return null;
}

function requestKey(body: Body): string {
  if (typeof body.trigger_id === "string" && body.trigger_id) return `trigger:${body.trigger_id}`;
  return `body:${createHash("sha256").update(JSON.stringify(body)).digest("hex")}`;
}

/** What is kept of a request: all but the legacy verification token. */
export function recordedBody(body: Body): Body {
  const { token: _token, ...rest } = body;
  return rest;
}
