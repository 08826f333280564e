// A message with a row of buttons per item (each proposed lesson, each action, each vote)
// repeats the same labels: "Bewaren als les" three times says nothing to a screen reader or
// keyboard user. Every renderer names such a button after its item, from this one rule.
import { type Block, plain } from "./message.ts";

/** How many words of an item name the buttons that act on it. */
const ITEM_WORDS = 6;

/**
 * The item each row of buttons acts on, by the index of its actions block: the text just above
 * it, cut to its first words. A message with one row of buttons needs none.
 */
export function itemNames(blocks: Block[]): Map<number, string> {
  const names = new Map<number, string>();
  if (blocks.filter((block) => block.type === "actions").length < 2) return names;
  let item = "";
  blocks.forEach((block, index) => {
    if (block.type === "paragraph" || block.type === "heading") item = plain(block.text);
    else if (block.type === "list") item = plain(block.items[0] ?? []);
    else if (block.type === "actions" && item !== "") names.set(index, firstWords(item));
  });
  return names;
}

function firstWords(text: string): string {
  const words = text.trim().split(/\s+/);
  return words.length > ITEM_WORDS ? `${words.slice(0, ITEM_WORDS).join(" ")}…` : words.join(" ");
}

/**
 * A button's accessible name: its label, then its item ("Bewaren als les: Bewoners vroeg …").
 * Plain text; each renderer escapes it for its platform and keeps it within its limits.
 */
export function buttonName(label: string, item: string): string {
  return `${label}: ${item}`;
}
