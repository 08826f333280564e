// One inbound activity: it becomes neutral events, the core answers, and the answers go back
// as cards. An Action.Execute invoke handled in its request is answered with a card: the
// confirmation when the core's reply replaces the source (so a form can't be sent twice), or
// the form again with its errors next to the fields. Handled later (after a crash), that card
// takes the acted-on card's place instead. Everything else is handled after Teams got its
// 200, through a proactive turn in the same conversation.
import type { Activity, TurnContext } from "botbuilder";
import { toLocale } from "../../src/domain/locale.ts";
import type { Message } from "../../src/domain/message.ts";
import type { EventHandler } from "../../src/ports/chat-adapter.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { activityToEvents } from "./activity-to-event.ts";
import {
  type AdaptiveCard,
  CARD_CONTENT_TYPE,
  type CardText,
  card,
  readActionData,
  readAnswers,
  renderCards,
  renderForm,
} from "./render-card.ts";

export type TurnDeps = {
  handler: EventHandler;
  text: (locale: string | undefined) => CardText;
  logger: Logger;
  /** True inside the invoke's own request, whose response can still carry a card. */
  answersInvoke: boolean;
};

export function cardActivity(content: AdaptiveCard, fallback: string): Partial<Activity> {
  return {
    type: "message",
    // What notifications and the chat list show for a card.
    summary: fallback.slice(0, 200),
    attachments: [{ contentType: CARD_CONTENT_TYPE, content }],
  };
}

/** `activity` is the one Teams sent; `context` the turn its replies go out through. */
export async function handleTurn(context: TurnContext, activity: Activity, deps: TurnDeps): Promise<void> {
  const mapped = activityToEvents(activity);
  if (mapped.kind === "ignored") {
    deps.logger.debug({ reason: mapped.reason, type: activity.type }, "teams activity ignored");
    return;
  }
  const t = deps.text(activity.locale);
  const events = [...mapped.events];
  const last = events.pop();
  // Leading events only register the person; their replies are not for this turn.
  for (const event of events) await deps.handler(event);
  if (!last) return;
  const replies = await deps.handler(last);

  if (mapped.kind === "execute") {
    const value = activity.value as { action?: { data?: unknown }; trigger?: string };
    const data = value.action?.data;
    // The card acted on, as it now reads (a decision with who made it): the invoke's answer.
    const source = replies.find((reply) => reply.updatesSource);
    const [first, ...rest] = source ? [source, ...replies.filter((reply) => reply !== source)] : replies;
    // Teams asking for a card again as it is shown: the answer is that card, never a new message.
    const automatic = value.trigger === "automatic";
    const action = readActionData(data);
    const refreshed = first
      ? automatic || asksForItsForm(first, action?.actionId)
        ? (renderCards(first, t)[0] ?? null)
        : refreshedCard(first, action?.form, readAnswers(data), t)
      : null;
    if (automatic) {
      if (deps.answersInvoke && refreshed) {
        const body = { statusCode: 200, type: CARD_CONTENT_TYPE, value: refreshed };
        await context.sendActivity({ type: "invokeResponse", value: { status: 200, body } });
      }
      return;
    }
    if (!deps.answersInvoke) {
      if (refreshed && first && activity.replyToId) {
        await context.updateActivity({ ...cardActivity(refreshed, first.fallback), id: activity.replyToId });
        await post(context, rest, t);
      } else await post(context, replies, t);
      return;
    }
    const body = refreshed
      ? { statusCode: 200, type: CARD_CONTENT_TYPE, value: refreshed }
      : { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: first?.fallback ?? "" };
    await context.sendActivity({ type: "invokeResponse", value: { status: 200, body } });
    await post(context, refreshed ? rest : replies, t);
    return;
  }

  if (mapped.quiet) return;
  // Action.Submit (older clients): a replacing reply overwrites the card the person used.
  const [first, ...rest] = replies;
  const isSubmit = activity.type === "message" && activity.value !== undefined && activity.value !== null;
  if (first?.replacesSource && isSubmit && activity.replyToId) {
    const [confirmation] = renderCards(first, t);
    if (confirmation) {
      await context.updateActivity({ ...cardActivity(confirmation, first.fallback), id: activity.replyToId });
      await post(context, rest, t);
      return;
    }
  }
  await post(context, replies, t);
}

/** Whether the reply is the form the action asked for as it stands (Change answers): shown in place. */
function asksForItsForm(reply: Message, actionId: string | undefined): boolean {
  return reply.blocks.some((block) => block.type === "form" && block.refresh?.actionId === actionId);
}

/** The card that takes the acted-on card's place, or null when the reply should be a new message. */
function refreshedCard(
  reply: Message,
  form: Parameters<typeof renderForm>[0] | undefined,
  answers: Record<string, string>,
  t: CardText,
): AdaptiveCard | null {
  if (reply.replacesSource || reply.updatesSource) return renderCards(reply, t)[0] ?? null;
  if (reply.fieldErrors && form) {
    // The form again, with what was typed kept and each problem under its field.
    const refilled = {
      ...form,
      inputs: form.inputs.map((input) => {
        const typed = answers[input.key];
        if (!typed) return input;
        return input.kind === "scale" ? { ...input, value: Number(typed) } : { ...input, value: typed };
      }),
    } as typeof form;
    const intro = renderCards({ ...reply, fieldErrors: undefined }, t)[0]?.body ?? [];
    return card([...intro, ...renderForm(refilled, t, reply.fieldErrors)]);
  }
  return null;
}

async function post(context: TurnContext, replies: Message[], t: CardText): Promise<void> {
  // A source update not used as the invoke's answer is already on the card (the core's `update`).
  for (const reply of replies.filter((reply) => !reply.updatesSource)) {
    for (const content of renderCards(reply, t)) await context.sendActivity(cardActivity(content, reply.fallback));
  }
}

export function localeOf(value: string | undefined): "nl" | "en" {
  return toLocale(value?.slice(0, 2).toLowerCase(), "nl");
}
