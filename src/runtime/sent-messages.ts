import type { Platform } from "../domain/inbound-event.ts";
import { type ChatAdapter, DeliveryError, type SentMessageUpdater } from "../ports/chat-adapter.ts";

/** The core's rewrites of sent messages, each through the adapter of the platform it went to. */
export function sentMessageUpdater(adapters: Iterable<ChatAdapter>): SentMessageUpdater {
  const byPlatform = new Map<Platform, ChatAdapter>([...adapters].map((adapter) => [adapter.platform, adapter]));
  return async (platform, sentRef, message) => {
    const adapter = byPlatform.get(platform);
    if (!adapter) throw new DeliveryError(`ADAPTER_MISSING: ${platform}`, { retryable: false });
    await adapter.update(sentRef, message);
  };
}
