// The neutral message model every adapter renders. Bot copy is plain strings;
// anything a person wrote is wrapped in `{ user }` so each renderer escapes it.
import type { Locale } from "./locale.ts";

/**
 * A span with `href` is a link to another system (a work item in the team's tracker): its
 * label is text from outside, kept as inert as any user text; only http(s) addresses open.
 */
export type Span = string | { user: string; href?: string };
export type Text = Span[];

export type Button = {
  actionId: string;
  label: string;
  value: string;
  style?: "primary" | "danger";
};

export type FormInput =
  | {
      kind: "text";
      key: string;
      label: string;
      required: boolean;
      maxLength: number;
      value?: string;
      /** A token or password: masked where the platform can (web, Teams); never prefilled. */
      secret?: boolean;
    }
  | { kind: "multiline"; key: string; label: string; required: boolean; maxLength: number; value?: string }
  | {
      kind: "choice";
      key: string;
      label: string;
      required: boolean;
      options: { value: string; label: string }[];
      value?: string;
    }
  | {
      /**
       * One person of the organisation, by person id. Platforms pick with their own people
       * picker where they have one (its answer is then the person's account there, see
       * `account`), the web with a searchable list; an optional one can be cleared again.
       */
      kind: "person";
      key: string;
      label: string;
      required: boolean;
      people: { value: string; label: string; account?: string | null }[];
      value?: string;
    }
  | {
      kind: "scale";
      key: string;
      label: string;
      required: boolean;
      min: 1;
      max: 5;
      minLabel: string;
      maxLabel: string;
      value?: number;
    };

/**
 * `item` names what a block's buttons decide on (e.g. "lesson:<id>"): once it is decided, the
 * core swaps the item's blocks in the sent message for its new state (see message-state.ts).
 */
export type Block =
  | { type: "heading"; text: Text }
  | { type: "paragraph"; text: Text; item?: string; locale?: Locale }
  | { type: "fields"; fields: { label: string; value: Text }[] }
  | { type: "list"; items: Text[] }
  | { type: "context"; text: Text; item?: string; locale?: Locale }
  | {
      type: "actions";
      buttons: Button[];
      item?: string;
      /** The language of an item's blocks, so its new state is written in the same one. */
      locale?: Locale;
      /**
       * Person ids of the only people who may use these buttons (a lead's, an owner's). A
       * renderer that draws per viewer (the web chat) shows them to those people alone; the
       * server checks every click regardless.
       */
      onlyFor?: string[];
    }
  | {
      type: "form";
      formId: string;
      title: string;
      inputs: FormInput[];
      submit: Button;
      /**
       * Asks for this form as it stands for its reader (filled with their current answers):
       * platforms that keep a sent form on screen (web chat, Teams) refresh it with this action.
       */
      refresh?: { actionId: string; value: string };
      item?: string;
    };

export type Message = {
  /** Plain text for notifications and clients that cannot show blocks. */
  fallback: string;
  /** The language it is written in, when a part of it may later be rewritten (an item's state). */
  locale?: Locale;
  blocks: Block[];
  /**
   * A reply to a form that was not accepted: a message per input key. Platforms with
   * modals (Slack) show them next to the fields; others show the blocks.
   */
  fieldErrors?: Record<string, string>;
  /**
   * A reply that replaces the message the person acted on (e.g. a submitted retro form
   * becomes a confirmation, so it cannot be sent twice).
   */
  replacesSource?: boolean;
  /**
   * The same message in each language, for a surface that shows every reader their own
   * (the web chat's channels); the others show `blocks`.
   */
  byLocale?: Partial<Record<Locale, Message>>;
  /**
   * The message the person acted on, as it now is. The core has already rewritten it where it
   * was sent (ChatAdapter.update); an adapter that answers the action itself with the message
   * (Teams' Action.Execute invoke response) answers with this one, the others leave it out.
   */
  updatesSource?: boolean;
};

export function plain(text: Text): string {
  return text
    .map((span) => {
      if (typeof span === "string") return span;
      const href = linkOf(span);
      return href ? `${span.user} (${href})` : span.user;
    })
    .join("");
}

/** The span's address when it is a link that may open: http or https only. */
export function linkOf(span: Span): string | undefined {
  if (typeof span === "string" || !span.href) return undefined;
  return /^https?:\/\/[^\s]+$/i.test(span.href) ? span.href : undefined;
}

export function userText(text: string): Span {
  return { user: text };
}

export function hasUserText(text: Text): boolean {
  return text.some((span) => typeof span !== "string");
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Half of a surrogate pair is not a character: it becomes U+FFFD, so no encoder downstream chokes on it. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

// Private-use stand-ins: the bot copy is rendered around them, then they become user spans.
const SLOT = /\uE000(\d+)\uE001/g;

/**
 * Bot copy whose placeholders hold text people wrote (a project or person's name): `render`
 * fills the placeholders with stand-ins, and each comes back as a user span, so every
 * renderer escapes the name while the copy around it keeps its own form.
 */
export function withUserText(render: (user: Record<string, string>) => string, user: Record<string, string>): Text {
  const names = Object.keys(user);
  const slots = Object.fromEntries(names.map((name, index) => [name, `\uE000${index}\uE001`]));
  const rendered = render(slots);
  const text: Text = [];
  let last = 0;
  for (const match of rendered.matchAll(SLOT)) {
    if (match.index > last) text.push(rendered.slice(last, match.index));
    text.push({ user: user[names[Number(match[1])] as string] ?? "" });
    last = match.index + match[0].length;
  }
  if (last < rendered.length) text.push(rendered.slice(last));
  return text;
}
