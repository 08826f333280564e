// A chat adapter whose sends and inbound events are timed into the process's metrics; the
// adapter itself is unchanged and knows nothing of them. Everything else (update,
// openDirect, stop, whatever the port adds later) is passed through to the adapter.
import type { ChatAdapter } from "../ports/chat-adapter.ts";
import { deliveryOutcome, type ProcessMetrics } from "./process-metrics.ts";

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

export function measuredAdapter(adapter: ChatAdapter, metrics: ProcessMetrics): ChatAdapter {
  const { platform } = adapter;
  const measured: Pick<ChatAdapter, "start" | "send"> = {
    start: (onEvent) =>
      adapter.start(async (event) => {
        const started = performance.now();
        try {
          return await onEvent(event);
        } finally {
          metrics.inbound(platform, event.type, secondsSince(started));
        }
      }),
    async send(conversationRef, message, options) {
      const started = performance.now();
      try {
        const sent = await adapter.send(conversationRef, message, options);
        metrics.delivery(platform, "sent", secondsSince(started));
        return sent;
      } catch (error) {
        metrics.delivery(platform, deliveryOutcome(error), secondsSince(started));
        throw error;
      }
    },
  };
  return new Proxy(adapter, {
    get(target, key) {
      if (key === "start" || key === "send") return measured[key];
      const value: unknown = Reflect.get(target, key);
      // The adapter's own methods run on the adapter itself, whatever they keep in `this`.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
