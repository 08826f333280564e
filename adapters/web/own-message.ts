// What a person typed in the web chat, kept as a message of its own so it survives a
// reload and reads as their bubble. Only the web chat has these: Slack and Teams show
// people's own lines themselves. The text stays a user span, so it is never markup.
import type { Message } from "../../src/domain/message.ts";

export type OwnMessage = Message & { typedBy: string };

export function ownMessage(personId: string, text: string): OwnMessage {
  return { fallback: text, blocks: [{ type: "paragraph", text: [{ user: text }] }], typedBy: personId };
}

export function isOwnMessage(message: Message): message is OwnMessage {
  return typeof (message as Partial<OwnMessage>).typedBy === "string";
}
