import { type Message, plain, type Text } from "../../src/domain/message.ts";

/** All text in a message as a reader sees it (user text and button labels included), a line per block. */
export function textOf(message: Message | undefined): string {
  const spans = (message?.blocks ?? []).flatMap((block): Text[] => {
    if (block.type === "list") return block.items;
    if (block.type === "fields") return block.fields.map((field) => field.value);
    if (block.type === "actions") return [block.buttons.map((button) => button.label)];
    if (block.type === "form") return [[block.title]];
    return [block.text];
  });
  return spans.map(plain).join("\n");
}
