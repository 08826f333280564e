// The neutral Message as Block Kit. Every text is escaped (slack-text.ts) and kept under
// Slack's limits (slack-limits.ts): long text is split over several sections, a message
// over 50 blocks becomes several messages, and what still does not fit is cut with a
// visible note. Slack never gets a payload it would reject.
import type { types } from "@slack/bolt";
import { buttonName, itemNames } from "../../src/domain/button-names.ts";
import { OPEN_FORM_ACTION } from "../../src/domain/chat-actions.ts";
import { type Block, type Button, hasUserText, type Message, type Text } from "../../src/domain/message.ts";
import { SLACK_LIMITS as L } from "./slack-limits.ts";
import { clip, escapeSlack, slackLabel, slackPlainText, slackText, splitText } from "./slack-text.ts";

export type SlackBlock = types.KnownBlock;
export type SlackPayload = { text: string; blocks: SlackBlock[] };

/** Adapter copy in the reader's language (prompts/slack.*.yaml). */
export type SlackCopy = { answer: string; truncated: string; continued: string; close: string };

/** Buttons that share an action id in one block get `#n` appended; inbound strips it again. */
export function baseActionId(actionId: string): string {
  return actionId.replace(/#\d+$/, "");
}

/** mrkdwn; `verbatim` when it carries text people wrote, so Slack adds no links or mentions of its own. */
const mrkdwn = (text: string, user: boolean): types.MrkdwnElement => ({
  type: "mrkdwn",
  text,
  ...(user ? { verbatim: true } : {}),
});

function sections(escaped: string, user: boolean): SlackBlock[] {
  return splitText(escaped, L.sectionText).map((text): SlackBlock => ({ type: "section", text: mrkdwn(text, user) }));
}

/** `item`: what a button repeated per item acts on; screen readers then read its name with it. */
export function buttonElement(button: Button, actionId = button.actionId, item?: string): types.Button {
  return {
    type: "button",
    action_id: actionId.slice(0, L.actionId),
    text: { type: "plain_text", text: clip(escapeSlack(button.label), L.buttonText), emoji: true },
    // A value is an id the core gave out; cutting it would break it, so it must fit.
    value: button.value.slice(0, L.buttonValue),
    ...(button.style ? { style: button.style } : {}),
    // A string Slack reads out as is, escaped like every text we send and within its 75 characters.
    ...(item ? { accessibility_label: clip(escapeSlack(buttonName(button.label, item)), L.accessibilityLabel) } : {}),
  };
}

function actionsBlocks(buttons: Button[], item?: string): SlackBlock[] {
  const seen = new Map<string, number>();
  const elements = buttons.map((button) => {
    const count = seen.get(button.actionId) ?? 0;
    seen.set(button.actionId, count + 1);
    return buttonElement(button, count === 0 ? button.actionId : `${button.actionId}#${count}`, item);
  });
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < elements.length; i += L.actionsElements) {
    blocks.push({ type: "actions", elements: elements.slice(i, i + L.actionsElements) });
  }
  return blocks;
}

function blockToSlack(block: Block, copy: SlackCopy, item?: string): SlackBlock[] {
  switch (block.type) {
    case "heading": {
      const text = slackPlainText(block.text);
      // A header holds 150 characters; a longer heading becomes a bold section instead.
      if (text.length <= L.headerText) return [{ type: "header", text: { type: "plain_text", text, emoji: true } }];
      return sections(`*${slackText(block.text)}*`, hasUserText(block.text));
    }
    case "paragraph":
      return sections(slackText(block.text), hasUserText(block.text));
    case "context":
      return splitText(slackText(block.text), L.sectionText).map(
        (text): SlackBlock => ({ type: "context", elements: [mrkdwn(text, hasUserText(block.text))] }),
      );
    case "list":
      return block.items.length === 0
        ? []
        : sections(
            block.items.map((item) => `• ${slackText(item)}`).join("\n"),
            block.items.some((item: Text) => hasUserText(item)),
          );
    case "fields": {
      const fields = block.fields.map((field) =>
        mrkdwn(clip(`*${slackLabel(field.label)}*\n${slackText(field.value)}`, L.fieldText), true),
      );
      const out: SlackBlock[] = [];
      for (let i = 0; i < fields.length; i += L.sectionFields) {
        out.push({ type: "section", fields: fields.slice(i, i + L.sectionFields) });
      }
      return out;
    }
    case "actions":
      return actionsBlocks(block.buttons, item);
    case "form":
      // Messages cannot hold inputs: the form opens in a modal from this button.
      return [
        {
          type: "section",
          text: mrkdwn(clip(`*${slackLabel(block.title)}*`, L.sectionText), true),
          accessory: buttonElement({
            actionId: OPEN_FORM_ACTION,
            label: copy.answer,
            value: block.submit.value,
            style: "primary",
          }),
        },
      ];
  }
}

/** All blocks of a message, each within its own limits; the count may still exceed a message's. */
export function renderBlocks(blocks: Block[], copy: SlackCopy): SlackBlock[] {
  const items = itemNames(blocks);
  return blocks.flatMap((block, index) => blockToSlack(block, copy, items.get(index)));
}

export function fallbackText(message: Message): string {
  // The fallback mixes copy and names people chose; none of it is meant as formatting, and
  // it has no `verbatim`: a zero-width space also keeps URLs and @words from being linked.
  const inert = slackLabel(message.fallback)
    .replaceAll("://", ":\u200B//")
    .replace(/@(?=\w)/g, "@\u200B");
  return clip(inert, L.fallbackText);
}

/** At most `max` blocks: what does not fit is replaced by a visible note. */
export function truncateBlocks(blocks: SlackBlock[], max: number, copy: SlackCopy): SlackBlock[] {
  if (blocks.length <= max) return blocks;
  return [
    ...blocks.slice(0, max - 1),
    { type: "context", elements: [{ type: "mrkdwn", text: escapeSlack(copy.truncated) }] },
  ];
}

/** One Slack message (an update or a replaced original): cut at 50 blocks with a note. */
export function renderMessage(message: Message, copy: SlackCopy): SlackPayload {
  return {
    text: fallbackText(message),
    blocks: truncateBlocks(renderBlocks(message.blocks, copy), L.messageBlocks, copy),
  };
}

/** A message for posting: split into several Slack messages of at most 50 blocks each. */
export function renderMessages(message: Message, copy: SlackCopy): SlackPayload[] {
  const blocks = renderBlocks(message.blocks, copy);
  const text = fallbackText(message);
  if (blocks.length <= L.messageBlocks) return [{ text, blocks }];
  const payloads: SlackPayload[] = [];
  // Every part but the last ends with a "continued" note, so readers know more follows.
  const perPart = L.messageBlocks - 1;
  for (let i = 0; i < blocks.length; i += perPart) {
    const part = blocks.slice(i, i + perPart);
    const last = i + perPart >= blocks.length;
    payloads.push({
      text: i === 0 ? text : clip(`${text} (${escapeSlack(copy.continued)})`, L.fallbackText),
      blocks: last
        ? part
        : [...part, { type: "context", elements: [{ type: "mrkdwn", text: escapeSlack(copy.continued) }] }],
    });
  }
  return payloads;
}
