// Modals (a form of the core's) and the App Home tab, as Slack views of at most 100 blocks.
import type { types } from "@slack/bolt";
import { type Block, type FormInput, type Message, wellFormed } from "../../src/domain/message.ts";
import { renderBlocks, type SlackBlock, type SlackCopy, truncateBlocks } from "./render-blocks.ts";
import { SLACK_LIMITS as L } from "./slack-limits.ts";
import { clip, escapeSlack } from "./slack-text.ts";

export const FORM_CALLBACK_ID = "leerlus.form";

/**
 * Carried through the modal in `private_metadata`: what to tell the core on submit, and
 * where the message with the Answer button is, so the confirmation can replace it.
 */
export type FormMetadata = {
  /** The form's submit action id and value (e.g. `retro.answer`, the cycle id). */
  actionId: string;
  value: string;
  conversationRef: string;
  source?: { channel: string; ts: string };
};

type FormBlock = Extract<Block, { type: "form" }>;

export function findForm(message: Message): FormBlock | undefined {
  return message.blocks.find((block): block is FormBlock => block.type === "form");
}

const label = (text: string) => ({ type: "plain_text" as const, text: clip(escapeSlack(text), L.inputLabel) });
const option = (value: string, text: string): types.PlainTextOption => ({
  text: { type: "plain_text", text: clip(escapeSlack(text), L.optionText) },
  value: value.slice(0, L.optionValue),
});

function inputBlock(input: FormInput): SlackBlock {
  const common = { type: "input" as const, block_id: input.key, label: label(input.label), optional: !input.required };
  switch (input.kind) {
    case "text":
    case "multiline":
      return {
        ...common,
        element: {
          type: "plain_text_input",
          action_id: input.key,
          multiline: input.kind === "multiline",
          max_length: Math.min(input.maxLength, L.inputMaxLength),
          // An input's own value is edited, never parsed for mentions: it stays as written.
          ...(input.value ? { initial_value: wellFormed(input.value.slice(0, L.inputMaxLength)) } : {}),
        },
      };
    case "choice": {
      const options = input.options.slice(0, L.selectOptions).map((o) => option(o.value, o.label));
      const initial = options.find((o) => o.value === input.value);
      return {
        ...common,
        element: {
          type: "static_select",
          action_id: input.key,
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      };
    }
    case "person": {
      // Slack's own picker searches the whole workspace, however large; it answers with the user
      // id, which the core reads as the person with that account. A single select cannot be
      // emptied again once chosen, so an optional one is a multi-select of at most one.
      const initial = input.people.find((person) => person.value === input.value)?.account;
      return {
        ...common,
        element: input.required
          ? { type: "users_select", action_id: input.key, ...(initial ? { initial_user: initial } : {}) }
          : {
              type: "multi_users_select",
              action_id: input.key,
              max_selected_items: 1,
              ...(initial ? { initial_users: [initial] } : {}),
            },
      };
    }
    case "scale": {
      const options = [1, 2, 3, 4, 5].map((n) =>
        option(String(n), n === 1 ? `1 – ${input.minLabel}` : n === 5 ? `5 – ${input.maxLabel}` : String(n)),
      );
      const initial = options.find((o) => o.value === String(input.value));
      return {
        ...common,
        element: {
          type: "radio_buttons",
          action_id: input.key,
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      };
    }
  }
}

/** The modal for the first form in `message`; the blocks around the form are shown above it. */
export function renderModal(message: Message, metadata: FormMetadata, copy: SlackCopy): types.ModalView | null {
  const form = findForm(message);
  if (!form) return null;
  const intro = renderBlocks(
    message.blocks.filter((block) => block.type !== "form"),
    copy,
  );
  const inputs = form.inputs.map(inputBlock);
  // Inputs are never cut (a missing question could not be answered); the intro gives way.
  const room = Math.max(0, L.viewBlocks - inputs.length);
  return {
    type: "modal",
    callback_id: FORM_CALLBACK_ID,
    title: { type: "plain_text", text: clip(escapeSlack(form.title), L.viewTitle) },
    submit: { type: "plain_text", text: clip(escapeSlack(form.submit.label), L.viewSubmit) },
    close: { type: "plain_text", text: clip(escapeSlack(copy.close), L.viewSubmit) },
    private_metadata: JSON.stringify(metadata).slice(0, L.privateMetadata),
    blocks: [...(room > 0 ? truncateBlocks(intro, room, copy) : []), ...inputs.slice(0, L.viewBlocks)],
  };
}

export function readMetadata(raw: string): FormMetadata | null {
  try {
    const parsed = JSON.parse(raw) as Partial<FormMetadata>;
    if (typeof parsed.actionId !== "string" || typeof parsed.value !== "string") return null;
    if (typeof parsed.conversationRef !== "string") return null;
    return parsed as FormMetadata;
  } catch {
    return null;
  }
}

type StateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_user?: string | null;
  selected_users?: string[] | null;
};

/** Answers by input key from a submitted view's state; an empty input is an empty string. */
export function readAnswers(values: Record<string, Record<string, StateValue>>): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const state = actions[blockId] ?? Object.values(actions)[0];
    if (!state) continue;
    answers[blockId] =
      state.selected_option?.value ?? state.selected_user ?? state.selected_users?.[0] ?? state.value ?? "";
  }
  return answers;
}

export function renderHome(message: Message, copy: SlackCopy): types.HomeView {
  return { type: "home", blocks: truncateBlocks(renderBlocks(message.blocks, copy), L.viewBlocks, copy) };
}
