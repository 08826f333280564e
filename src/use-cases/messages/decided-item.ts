// The blocks an item shows once decided (who decided what, and an Undo), and the reply to a
// click on an item already decided. One shape for lessons, actions and checkpoints.
import type { Locale } from "../../domain/locale.ts";
import { type Block, type Button, type Message, type Text, withUserText } from "../../domain/message.ts";
import type { PromptCatalog, Vars } from "../../ports/prompt-catalog.ts";
import type { Deps } from "../deps.ts";

/** Bot copy whose `{name}` is a person's name (kept inert as text a person chose). */
export function namedText(prompts: PromptCatalog, locale: Locale, key: string, name: string | null, vars?: Vars): Text {
  if (name === null) return [prompts.t(locale, key, vars)];
  return withUserText((user) => prompts.t(locale, key, { ...vars, ...user }), { name });
}

export function undoButton(prompts: PromptCatalog, locale: Locale, actionId: string, value: string): Button {
  return { actionId, label: prompts.t(locale, "state.undo"), value };
}

/** The decision in words, with Undo, in place of the item's buttons. */
export function decidedBlocks(
  item: { name: string; locale: Locale },
  text: Text,
  undo: Button,
  onlyFor?: string[],
): Block[] {
  const { name, locale } = item;
  return [
    { type: "context", item: name, locale, text },
    { type: "actions", item: name, locale, buttons: [undo], ...(onlyFor ? { onlyFor } : {}) },
  ];
}

/** A reply that says what was already decided (nothing changed) and offers Undo. */
export function alreadyDecidedReply(text: Text, undo: Button): Message {
  const fallback = text.map((span) => (typeof span === "string" ? span : span.user)).join("");
  return {
    fallback,
    blocks: [
      { type: "paragraph", text },
      { type: "actions", buttons: [undo] },
    ],
  };
}

/** A person's display name, or "someone" once they are gone (erased). */
export async function nameOf(deps: Deps, personId: string | null, locale: Locale): Promise<string> {
  const person = personId ? await deps.stores.directory.person(personId) : null;
  return person?.displayName ?? deps.prompts.t(locale, "state.someone");
}
