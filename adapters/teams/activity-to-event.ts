// Teams activities as the core's neutral InboundEvents. No I/O, so every mapping rule can be
// tested without a server.
import { randomUUID } from "node:crypto";
import { type Activity, type ConversationReference, TurnContext } from "botbuilder";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import { serializeReference } from "./conversation-ref.ts";
import { readActionData, readAnswers } from "./render-card.ts";

export const EXECUTE_INVOKE = "adaptiveCard/action";

type Base = Omit<Extract<InboundEvent, { type: "command" }>, "type" | "text">;

export type MappedActivity =
  /** Replies go back as messages; `quiet` events register without answering (see conversationUpdate). */
  | { kind: "events"; events: InboundEvent[]; quiet?: boolean }
  /** An Action.Execute invoke: its first event's replies answer the invoke. */
  | { kind: "execute"; events: InboundEvent[] }
  | { kind: "ignored"; reason: string };

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannel = typeof channelData?.tenant?.id === "string" ? channelData.tenant.id : undefined;
  return fromChannel ?? activity.conversation?.tenantId;
}

export function isPersonal(activity: Partial<Activity>): boolean {
  return activity.conversation?.conversationType === "personal";
}

export function referenceOf(activity: Partial<Activity>): string {
  const reference = TurnContext.getConversationReference(activity) as Partial<ConversationReference>;
  return serializeReference(reference, tenantOf(activity));
}

/**
 * Identifies an activity across Teams' deliveries of it: its id within its conversation. One
 * without an id (never seen from Teams) cannot be recognised again and gets a key of its own.
 */
export function activityKey(activity: Partial<Activity>): string {
  return activity.id ? `${activity.conversation?.id ?? ""}:${activity.id}` : `unkeyed:${randomUUID()}`;
}

export function activityToEvents(activity: Activity): MappedActivity {
  const tenantId = tenantOf(activity);
  if (!tenantId) return { kind: "ignored", reason: "TEAMS_NO_TENANT" };
  if (!activity.from?.id) return { kind: "ignored", reason: "TEAMS_NO_SENDER" };
  const conversationRef = referenceOf(activity);
  const base: Base = {
    platform: "teams",
    tenantId,
    platformUserId: activity.from.aadObjectId ?? activity.from.id,
    conversationRef,
    profile: {
      ...(activity.from.name ? { displayName: activity.from.name } : {}),
      ...(activity.locale ? { locale: activity.locale } : {}),
      ...(activity.localTimezone ? { timezone: activity.localTimezone } : {}),
    },
  };
  // In a personal chat every activity refreshes the person's direct reference (service URLs
  // move between regions), and reaches people whose app an admin installed for them.
  const refresh: InboundEvent[] = isPersonal(activity)
    ? [{ ...base, type: "memberJoined", directRef: conversationRef }]
    : [];

  switch (activity.type) {
    case "installationUpdate":
      if (activity.action !== "add" && activity.action !== "add-upgrade") {
        return { kind: "ignored", reason: "TEAMS_UNINSTALL" };
      }
      return { kind: "events", events: [installed(base, activity, conversationRef)] };
    case "conversationUpdate":
      return conversationUpdate(activity, base, conversationRef);
    case "message":
      return message(activity, base, refresh);
    case "invoke": {
      if (activity.name !== EXECUTE_INVOKE) return { kind: "ignored", reason: "TEAMS_INVOKE_UNKNOWN" };
      const action = (activity.value as { action?: { type?: unknown; data?: unknown } } | undefined)?.action;
      const event = cardEvent(base, action?.data);
      if (!event || action?.type !== "Action.Execute") return { kind: "ignored", reason: "TEAMS_ACTION_UNKNOWN" };
      return { kind: "execute", events: [...refresh, event] };
    }
    default:
      return { kind: "ignored", reason: "TEAMS_ACTIVITY_TYPE" };
  }
}

function installed(base: Base, activity: Activity, conversationRef: string): InboundEvent {
  // Personal scope: the installer's direct conversation. Team or group chat: the reference is
  // the channel's, carried as the event's conversationRef for the core to link to a project.
  return { ...base, type: "installed", ...(isPersonal(activity) ? { directRef: conversationRef } : {}) };
}

function conversationUpdate(activity: Activity, base: Base, conversationRef: string): MappedActivity {
  const botId = activity.recipient?.id;
  const added = activity.membersAdded ?? [];
  if (added.some((member) => member.id === botId)) {
    // Teams sends installationUpdate for the same install; that one says welcome.
    return { kind: "events", events: [installed(base, activity, conversationRef)], quiet: true };
  }
  const people = added.filter((member) => member.id !== botId);
  if (people.length === 0) return { kind: "ignored", reason: "TEAMS_CONVERSATION_UPDATE" };
  return {
    kind: "events",
    quiet: true,
    events: people.map((member) => ({
      ...base,
      type: "memberJoined",
      platformUserId: member.aadObjectId ?? member.id,
      profile: member.name ? { displayName: member.name } : {},
    })),
  };
}

function message(activity: Activity, base: Base, refresh: InboundEvent[]): MappedActivity {
  // Action.Submit (the fallback of our Action.Execute buttons) arrives as a message with a value.
  if (activity.value !== undefined && activity.value !== null) {
    const event = cardEvent(base, activity.value);
    return event
      ? { kind: "events", events: [...refresh, event] }
      : { kind: "ignored", reason: "TEAMS_ACTION_UNKNOWN" };
  }
  const text = commandText(activity);
  if (!text) return { kind: "ignored", reason: "TEAMS_EMPTY_MESSAGE" };
  const command: InboundEvent = {
    ...base,
    type: "command",
    text,
    direct: isPersonal(activity),
    ...(activity.id ? { eventKey: `teams:${activityKey(activity)}` } : {}),
  };
  return { kind: "events", events: [...refresh, command] };
}

/** The typed text without the bot's @mention (channels), markup or extra spaces. */
export function commandText(activity: Activity): string {
  const withoutMention = TurnContext.removeRecipientMention(activity) ?? activity.text ?? "";
  return withoutMention
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 500);
}

function cardEvent(base: Base, data: unknown): InboundEvent | null {
  const action = readActionData(data);
  if (!action) return null;
  if (action.form) {
    return {
      ...base,
      type: "formSubmitted",
      actionId: action.actionId,
      value: action.value,
      answers: readAnswers(data),
    };
  }
  return { ...base, type: "action", actionId: action.actionId, value: action.value };
}
