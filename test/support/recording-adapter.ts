import type { Platform } from "../../src/domain/inbound-event.ts";
import { type Message, plain } from "../../src/domain/message.ts";
import type { ChatAdapter } from "../../src/ports/chat-adapter.ts";

export type Sent = { conversationRef: string; message: Message; text: string };

/** Stands in for a chat platform in core tests: records what would have been posted. */
export function createRecordingAdapter(
  platform: Platform = "web",
): ChatAdapter & { sent: Sent[]; updated: { sentRef: string; message: Message }[] } {
  const sent: Sent[] = [];
  const updated: { sentRef: string; message: Message }[] = [];
  return {
    platform,
    sent,
    updated,
    async start() {},
    async stop() {},
    async send(conversationRef, message) {
      const text = message.blocks
        .map((block) =>
          "text" in block ? plain(block.text) : "items" in block ? block.items.map(plain).join("\n") : "",
        )
        .join("\n");
      sent.push({ conversationRef, message, text: `${message.fallback}\n${text}` });
      return `sent-${sent.length}`;
    },
    async update(sentRef, message) {
      updated.push({ sentRef, message });
    },
    async openDirect(user) {
      return `web:dm:${user.platformUserId}`;
    },
  };
}
