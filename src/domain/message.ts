// The neutral message model every adapter renders. Bot copy is plain strings;
// anything a person wrote is wrapped in `{ user }` so each renderer escapes it.

export type Span = string | { user: string };
export type Text = Span[];

export type Button = {
  actionId: string;
  label: string;
  value: string;
  style?: "primary" | "danger";
};

export type FormInput =
  | { kind: "text"; key: string; label: string; required: boolean; maxLength: number; value?: string }
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

export type Block =
  | { type: "heading"; text: Text }
  | { type: "paragraph"; text: Text }
  | { type: "fields"; fields: { label: string; value: Text }[] }
  | { type: "list"; items: Text[] }
  | { type: "context"; text: Text }
  | { type: "actions"; buttons: Button[] }
  | { type: "form"; formId: string; title: string; inputs: FormInput[]; submit: Button };

export type Message = {
  /** Plain text for notifications and clients that cannot show blocks. */
  fallback: string;
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
};

export function plain(text: Text): string {
  return text.map((span) => (typeof span === "string" ? span : span.user)).join("");
}

export function userText(text: string): Span {
  return { user: text };
}
