// Redis pub/sub for "this web conversation changed". Pub/sub keeps nothing, which
// suits Redis being disposable: a browser that misses a signal catches up from the
// database when it reconnects.
import { Redis } from "ioredis";
import type { ConversationNotifier } from "../ports/web-message-store.ts";

export type RedisNotifier = ConversationNotifier & { close(): Promise<void> };

export function createRedisNotifier(options: { redisUrl: string; channel: string }): RedisNotifier {
  let publisher: Redis | undefined;
  let subscriber: Redis | undefined;
  let subscribing: Promise<void> | undefined;
  const listeners = new Set<(conversationRef: string) => void>();

  // A connection in subscriber mode can run no other commands, hence a second one,
  // opened only by the process that actually listens.
  async function ensureSubscribed(): Promise<void> {
    if (!subscribing) {
      const connection = new Redis(options.redisUrl, { lazyConnect: true });
      subscriber = connection;
      connection.on("message", (channel: string, payload: string) => {
        if (channel !== options.channel) return;
        for (const listener of listeners) {
          try {
            listener(payload);
          } catch {
            // One faulty listener must not starve the others.
          }
        }
      });
      // Without a listener ioredis reports connection errors as unhandled; it reconnects by itself.
      connection.on("error", () => {});
      subscribing = connection
        .connect()
        .then(() => connection.subscribe(options.channel))
        .then(() => undefined);
      subscribing.catch(() => {
        subscribing = undefined;
        subscriber = undefined;
        connection.disconnect();
      });
    }
    await subscribing;
  }

  return {
    async publish(conversationRef) {
      if (!publisher) {
        publisher = new Redis(options.redisUrl);
        publisher.on("error", () => {});
      }
      await publisher.publish(options.channel, conversationRef);
    },

    async subscribe(listener) {
      listeners.add(listener);
      try {
        await ensureSubscribed();
      } catch (error) {
        listeners.delete(listener);
        throw error;
      }
      return async () => {
        listeners.delete(listener);
      };
    },

    async close() {
      listeners.clear();
      const connections = [publisher, subscriber].filter((c): c is Redis => c !== undefined);
      publisher = undefined;
      subscriber = undefined;
      subscribing = undefined;
      await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}
