import type { Locale } from "../../domain/locale.ts";
import type { Message } from "../../domain/message.ts";
import type { PromptCatalog, Vars } from "../../ports/prompt-catalog.ts";

/** A one-paragraph reply from a message key. */
export function reply(prompts: PromptCatalog, locale: Locale, key: string, vars?: Vars): Message {
  const text = prompts.t(locale, key, vars);
  return { fallback: text, blocks: [{ type: "paragraph", text: [text] }] };
}
