import type { Locale } from "../../domain/locale.ts";
import { type Message, withUserText } from "../../domain/message.ts";
import type { PromptCatalog, Vars } from "../../ports/prompt-catalog.ts";

/**
 * A one-paragraph reply from a message key. Values in `user` are what people wrote (names,
 * project names, typed words): they are marked as user text so every renderer keeps them inert.
 */
export function reply(
  prompts: PromptCatalog,
  locale: Locale,
  key: string,
  vars?: Vars,
  user?: Record<string, string>,
): Message {
  const fallback = prompts.t(locale, key, { ...vars, ...user });
  const text = user ? withUserText((slots) => prompts.t(locale, key, { ...vars, ...slots }), user) : [fallback];
  return { fallback, blocks: [{ type: "paragraph", text }] };
}

/** A form that was not accepted: what is wrong, as a list, and beside each field where the platform can. */
export function fieldErrorsMessage(intro: string, fieldErrors: Record<string, string>): Message {
  return {
    fallback: `${intro} ${Object.values(fieldErrors).join(" ")}`,
    blocks: [
      { type: "paragraph", text: [intro] },
      { type: "list", items: Object.values(fieldErrors).map((error) => [error]) },
    ],
    fieldErrors,
  };
}
