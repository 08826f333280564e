import type { InboundEvent, Platform } from "../domain/inbound-event.ts";
import type { Message } from "../domain/message.ts";

/** Opaque reference to a sent message, for later updates. */
export type SentRef = string;

/**
 * Replies the core wants shown to the person who caused the event, in the same
 * conversation (ephemeral where the platform supports it).
 */
export type EventHandler = (event: InboundEvent) => Promise<Message[]>;

export type SendOptions = { idempotencyKey?: string };

/** A person in a channel's member list, as the platform names them. */
export type ChannelMember = {
  /** The workspace or Azure tenant the person belongs to (a shared channel holds other ones). */
  tenantId: string;
  platformUserId: string;
  displayName: string;
  email?: string;
  /** What the platform knows of their language and timezone, e.g. "en-GB", "Europe/London". */
  locale?: string;
  timezone?: string;
};

/**
 * What the core asks of a chat platform, and nothing more; each member names who calls it.
 * The contract every adapter passes is test/support/chat-adapter-contract.ts.
 */
export type ChatAdapter = {
  /** Routes deliveries and updates to this adapter (src/runtime/sent-messages.ts, the delivery worker). */
  readonly platform: Platform;
  /** The composition root starts it with the core's event handler (src/main.ts), and stops it on shutdown. */
  start(onEvent: EventHandler): Promise<void>;
  stop(): Promise<void>;
  /**
   * The delivery worker sends each outbox message (src/use-cases/deliver-message.ts).
   * `idempotencyKey` (the outbox message's id) lets an adapter whose platform can
   * deduplicate make a repeated send a no-op that returns the first SentRef; the web chat
   * does. Slack and Teams cannot, so a crash between their send and the outbox noting it
   * can repeat that one message.
   */
  send(conversationRef: string, message: Message, options?: SendOptions): Promise<SentRef>;
  /**
   * Rewrites a message this adapter sent (`sentRef` as `send` returned it) to read `message`
   * in full, when what the message shows changed (a decision on one of its items, a retro
   * closed): inline through {@link SentMessageUpdater}, or by the delivery worker
   * (src/use-cases/message-state.ts). Every reader sees the new version.
   */
  update(sentRef: SentRef, message: Message): Promise<void>;
  /**
   * The person's direct conversation with Leerlus, opened when needed: the member sync
   * (src/use-cases/sync-members.ts) stores it so the person can be written to directly.
   */
  openDirect(userRef: { tenantId: string; platformUserId: string }): Promise<string>;
  /**
   * The people in a channel now, for the member sync (src/use-cases/sync-members.ts): humans
   * only (no bots, no deactivated accounts). Platforms without channel rosters (the web chat)
   * leave it out. Failures throw DeliveryError.
   */
  listMembers?(conversationRef: string): Promise<ChannelMember[]>;
};

/**
 * Whose trouble a retryable failure is: the whole workspace or tenant (its rate limit, its
 * service failing), or one conversation (Teams' "conversation busy"). Only that scope waits.
 */
export type DeliveryScope = "tenant" | "conversation";

/**
 * Thrown by adapters when a platform refuses or fails a delivery. `retryAfterMs` is set only
 * when the platform named a wait (Retry-After); without one a retryable failure is backed off
 * exponentially, with jitter, by the delivery queue.
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly scope: DeliveryScope;
  constructor(
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; scope?: DeliveryScope; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "DeliveryError";
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.scope = options.scope ?? "tenant";
  }
}

/**
 * Rewrites a message the core sent, on the platform it went to: the composition root wires it
 * to that platform's `ChatAdapter.update`. `sentRef` is what `send` returned; the core keeps it
 * opaque. Used to show a decision in the message it was made from, and a closed retro's form
 * as closed. Failures throw DeliveryError.
 */
export type SentMessageUpdater = (platform: Platform, sentRef: SentRef, message: Message) => Promise<void>;
