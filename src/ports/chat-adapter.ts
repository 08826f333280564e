import type { InboundEvent, Platform } from "../domain/inbound-event.ts";
import type { Message } from "../domain/message.ts";

/** Opaque reference to a sent message, for later updates. */
export type SentRef = string;

/**
 * Replies the core wants shown to the person who caused the event, in the same
 * conversation (ephemeral where the platform supports it).
 */
export type EventHandler = (event: InboundEvent) => Promise<Message[]>;

export type ChatAdapter = {
  readonly platform: Platform;
  start(onEvent: EventHandler): Promise<void>;
  stop(): Promise<void>;
  send(conversationRef: string, message: Message): Promise<SentRef>;
  update(sentRef: SentRef, message: Message): Promise<void>;
  openDirect(userRef: { tenantId: string; platformUserId: string }): Promise<string>;
};

/** Thrown by adapters when a platform refuses or fails a delivery. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "DeliveryError";
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}
