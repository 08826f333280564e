import type { Platform } from "../domain/inbound-event.ts";
import type { Queued } from "./outbox-store.ts";

/** Hands work to the queues. Lost work is recovered by the reconciler from the database. */
export type Dispatcher = {
  deliver(items: Queued[]): Promise<void>;
  /**
   * Rewrites sent messages on their platforms soon, each as its stored content reads then
   * (a closed retro's forms). Lost with Redis: the messages then keep their old look.
   */
  updateSent(items: { id: string; platform: Platform }[]): Promise<void>;
  tickProject(projectId: string): Promise<void>;
  /** Reads the project's channel member lists soon (setup, `members sync`); repeats collapse. */
  syncMembers(projectId: string): Promise<void>;
  /** Pulls a lesson feed subscription soon (right after subscribing); repeats collapse. */
  pullLessonFeed(subscriptionId: string): Promise<void>;
  /** Sends actions to their project's tracker, after `delayMs` when given; an action already queued is not queued twice. */
  exportActions(items: readonly { actionId: string; delayMs?: number }[]): Promise<void>;
};
