// The neutral Message as Adaptive Cards 1.5 for Teams. Buttons and form submits are
// Action.Execute (Universal Actions, so the bot can answer with a refreshed card), each with
// an Action.Submit fallback for clients that predate it. Text a person wrote goes into a
// RichTextBlock's TextRuns, which Adaptive Cards never treat as markdown (TextBlocks and facts
// are; Teams clients differ in how they honour backslash escapes there), so it shows exactly as
// written. Messages too big for one card are split with a visible note.
import { buttonName, itemNames } from "../../src/domain/button-names.ts";
import {
  type Block,
  type Button,
  type FormInput,
  hasUserText,
  linkOf,
  type Message,
  type Text,
  wellFormed,
} from "../../src/domain/message.ts";

export type CardElement = Record<string, unknown>;
export type AdaptiveCard = {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  msteams: { width: "Full" };
  /** Asks the bot for the card again whenever it is shown (Universal Actions' refresh). */
  refresh?: { action: CardElement };
};

/** Adapter copy in the reader's language, already scoped to `teams.`. */
export type CardText = (key: string, vars?: Record<string, string | number>) => string;

/** What a card action carries back, besides the inputs Teams merges in. */
export type ActionData = { actionId: string; value: string; form?: FormSpec };
/** A form without its answers: enough to show it again, with errors, after a refused submit. */
export type FormSpec = Omit<Extract<Block, { type: "form" }>, "type">;

export const DATA_KEY = "leerlus";
export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

// Teams refuses activities over about 28 KB; stay well below with room for the envelope.
const MAX_CARD_CHARS = 20_000;
// A single TextBlock stays readable and far inside the card limit.
const MAX_TEXT_CHARS = 3_000;
// Adaptive Cards set no limit on a tooltip; a name read out before every button stays short.
const MAX_TOOLTIP_CHARS = 120;

// Everything the Teams markdown subset (and CommonMark) treats as syntax; escaped with a
// backslash, which renders as the character itself.
const MARKDOWN_CHARACTERS = /[\\`*_{}[\]()#+\-.!|~<>]/g;

export function escapeMarkdown(value: string): string {
  return wellFormed(value).replace(MARKDOWN_CHARACTERS, (character) => `\\${character}`);
}

export function cardText(text: Text): string {
  return text.map((span) => (typeof span === "string" ? span : escapeMarkdown(span.user))).join("");
}

/** One card, or several when the message is too big for one; each later part says so. */
export function renderCards(message: Message, t: CardText): AdaptiveCard[] {
  const items = itemNames(message.blocks);
  const elements = message.blocks.flatMap((block, index) =>
    renderBlock(block, t, message.fieldErrors, items.get(index)),
  );
  if (elements.length === 0) elements.push(textBlock(escapeMarkdown(message.fallback), t));
  const groups: CardElement[][] = [[]];
  let size = 0;
  for (const element of elements) {
    const elementSize = JSON.stringify(element).length;
    const current = groups[groups.length - 1] as CardElement[];
    if (current.length > 0 && size + elementSize > MAX_CARD_CHARS) {
      groups.push([element]);
      size = elementSize;
    } else {
      current.push(element);
      size += elementSize;
    }
  }
  const cards = groups.map((body, index) =>
    card(
      groups.length === 1
        ? body
        : [
            ...body,
            note(
              t(index < groups.length - 1 ? "split.continued" : "split.last", {
                part: index + 1,
                parts: groups.length,
              }),
            ),
          ],
    ),
  );
  // A form kept on screen (a retro prompt) is asked for again each time it is shown, so it
  // opens with the reader's current answers; the part holding the form carries the refresh.
  const form = message.blocks.find((block) => block.type === "form");
  const formCard = cards.find((part) => JSON.stringify(part.body).includes(`"form-${form?.formId}"`));
  if (form?.refresh && formCard) {
    const { actionId, value } = form.refresh;
    formCard.refresh = {
      action: { type: "Action.Execute", verb: actionId, data: { [DATA_KEY]: { actionId, value } } },
    };
  }
  return cards;
}

export function card(body: CardElement[]): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    msteams: { width: "Full" },
  };
}

type Look = Record<string, string | boolean>;

// Teams drops what looks like an HTML tag from TextBlock markdown, escaped or not, so
// "lessen <woorden>: zoek" showed as "lessen : zoek"; such copy goes into TextRuns too.
const TAG_LIKE = /[<>]/;

/** Bot copy alone: a TextBlock. With text a person wrote, or angle brackets: a RichTextBlock of plain TextRuns. */
function textElement(text: Text, t: CardText, look: Look = {}, blockLook: Look = {}): CardElement {
  const plain = !hasUserText(text) && !text.some((span) => typeof span === "string" && TAG_LIKE.test(span));
  if (plain) return { ...textBlock(cardText(text), t), ...look, ...blockLook };
  const runs: CardElement[] = [];
  let room = MAX_TEXT_CHARS;
  for (const span of text) {
    const value = wellFormed(typeof span === "string" ? span : span.user);
    if (value === "" || room <= 0) continue;
    const href = linkOf(span);
    // A link to a tracker's work item opens it; its label stays a plain run.
    const open = href ? { selectAction: { type: "Action.OpenUrl", url: href } } : {};
    runs.push({ type: "TextRun", text: value.slice(0, room), ...look, ...open });
    room -= value.length;
  }
  if (room < 0) runs.push({ type: "TextRun", text: `… ${t("split.truncated")}`, ...look });
  return { type: "RichTextBlock", inlines: runs };
}

/** `item`: what an actions block's buttons act on, when the message repeats them per item. */
function renderBlock(block: Block, t: CardText, fieldErrors?: Record<string, string>, item?: string): CardElement[] {
  switch (block.type) {
    case "heading":
      return [textElement(block.text, t, { size: "Large", weight: "Bolder" }, { style: "heading" })];
    case "paragraph":
      return [textElement(block.text, t)];
    case "context":
      return [textElement(block.text, t, { isSubtle: true, size: "Small" })];
    case "fields":
      // Fact values are markdown: with a person's text in them, each field is a line of runs instead.
      if (block.fields.some((field) => hasUserText(field.value))) {
        return [
          {
            type: "Container",
            items: block.fields.map((field) => ({
              ...textElement([{ user: `${field.label}: ` }, ...field.value], t),
              spacing: "Small",
            })),
          },
        ];
      }
      return [
        {
          type: "FactSet",
          facts: block.fields.map((field) => ({
            title: escapeMarkdown(field.label),
            value: limit(cardText(field.value), t),
          })),
        },
      ];
    case "list":
      // One element per item: a markdown list would let an item's text change the list.
      return [
        {
          type: "Container",
          items: block.items.map((item) => ({ ...textElement(["• ", ...item], t), spacing: "Small" })),
        },
      ];
    case "actions":
      return [{ type: "ActionSet", actions: block.buttons.map((button) => executeAction(button, undefined, item)) }];
    case "form":
      return renderForm(block, t, fieldErrors);
  }
}

export function renderForm(form: FormSpec, t: CardText, fieldErrors?: Record<string, string>): CardElement[] {
  const spec: FormSpec = {
    formId: form.formId,
    title: form.title,
    // A person input's list is for the renderers that draw one; the card's picker searches itself.
    inputs: form.inputs.map(({ value: _value, ...input }) =>
      input.kind === "person" ? ({ ...input, people: [] } as FormInput) : (input as FormInput),
    ),
    submit: form.submit,
  };
  const inputs = form.inputs.flatMap((input) => {
    const error = fieldErrors?.[input.key];
    const rendered = renderInput(input, t, error);
    return error
      ? [rendered, { ...textBlock(escapeMarkdown(error), t), color: "Attention", spacing: "None" }]
      : [rendered];
  });
  return [
    {
      type: "Container",
      id: `form-${form.formId}`,
      items: [
        { ...textBlock(escapeMarkdown(form.title), t), weight: "Bolder", size: "Medium" },
        ...inputs,
        { type: "ActionSet", actions: [executeAction(form.submit, spec)] },
      ],
    },
  ];
}

function renderInput(input: FormInput, t: CardText, error: string | undefined): CardElement {
  const common = {
    id: input.key,
    label: input.label,
    isRequired: input.required,
    errorMessage: error ?? t("form.required"),
  };
  switch (input.kind) {
    case "text":
    case "multiline":
      return {
        type: "Input.Text",
        ...common,
        isMultiline: input.kind === "multiline",
        maxLength: input.maxLength,
        ...(input.kind === "text" && input.secret ? { style: "Password" } : {}),
        ...(input.value ? { value: input.value } : {}),
      };
    case "choice":
      return {
        type: "Input.ChoiceSet",
        ...common,
        style: input.options.length <= 5 ? "expanded" : "compact",
        choices: input.options.map((option) => ({ title: option.label, value: option.value })),
        ...(input.value ? { value: input.value } : {}),
      };
    case "person": {
      // Teams' people picker: it searches the organisation (Microsoft Graph) however large, and
      // answers with the Entra object id, which the core reads as the person with that account.
      // The chosen person is listed so the picker shows their name; it can be removed again.
      const chosen = input.people.find((person) => person.value === input.value && person.account);
      const value = chosen?.account ?? (input.value && input.people.length === 0 ? input.value : undefined);
      return {
        type: "Input.ChoiceSet",
        ...common,
        choices: chosen?.account ? [{ title: chosen.label, value: chosen.account }] : [],
        "choices.data": { type: "Data.Query", dataset: "graph.microsoft.com/users" },
        isMultiSelect: false,
        ...(value ? { value } : {}),
      };
    }
    case "scale":
      return {
        type: "Input.ChoiceSet",
        ...common,
        style: "expanded",
        choices: [1, 2, 3, 4, 5].map((score) => ({
          title:
            score === input.min
              ? t("form.scale-end", { score, label: input.minLabel })
              : score === input.max
                ? t("form.scale-end", { score, label: input.maxLabel })
                : String(score),
          value: String(score),
        })),
        ...(input.value ? { value: String(input.value) } : {}),
      };
  }
}

function executeAction(button: Button, form?: FormSpec, item?: string): CardElement {
  const data = { [DATA_KEY]: { actionId: button.actionId, value: button.value, ...(form ? { form } : {}) } };
  const style = button.style === "primary" ? "positive" : button.style === "danger" ? "destructive" : undefined;
  // A tooltip is plain text (never markdown), which Teams also reads out as the button's name.
  const tooltip = item ? { tooltip: clipPlain(buttonName(button.label, item), MAX_TOOLTIP_CHARS) } : {};
  const common = { title: button.label, data, ...(style ? { style } : {}), ...tooltip };
  return {
    type: "Action.Execute",
    verb: button.actionId,
    ...common,
    ...(form ? { associatedInputs: "auto" } : {}),
    fallback: { type: "Action.Submit", ...common },
  };
}

/** Plain text cut to `max` characters, ending in an ellipsis, never inside a surrogate pair. */
function clipPlain(text: string, max: number): string {
  return text.length <= max ? wellFormed(text) : `${wellFormed(text.slice(0, max - 1))}…`;
}

function textBlock(text: string, t: CardText): CardElement {
  return { type: "TextBlock", text: limit(text, t), wrap: true };
}

function note(text: string): CardElement {
  return { type: "TextBlock", text: escapeMarkdown(text), wrap: true, isSubtle: true, size: "Small", separator: true };
}

function limit(text: string, t: CardText): string {
  if (text.length <= MAX_TEXT_CHARS) return text;
  // Cut before a trailing backslash so an escape is never split in half.
  const cut = text.slice(0, MAX_TEXT_CHARS).replace(/\\+$/, "");
  return `${cut}… ${escapeMarkdown(t("split.truncated"))}`;
}

/** The action a card sent back, or null when the data is not from a Leerlus card. */
export function readActionData(data: unknown): ActionData | null {
  if (!data || typeof data !== "object") return null;
  const ours = (data as Record<string, unknown>)[DATA_KEY];
  if (!ours || typeof ours !== "object") return null;
  const { actionId, value, form } = ours as Record<string, unknown>;
  if (typeof actionId !== "string" || typeof value !== "string") return null;
  return { actionId, value, ...(form && typeof form === "object" ? { form: form as FormSpec } : {}) };
}

/** The answers Teams merged into the action data: every string field except our own. */
export function readAnswers(data: unknown): Record<string, string> {
  if (!data || typeof data !== "object") return {};
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>).filter(
      (entry): entry is [string, string] => entry[0] !== DATA_KEY && typeof entry[1] === "string",
    ),
  );
}
