import type { Queued } from "./store.ts";

/** Hands work to the queues. Lost work is recovered by the reconciler from the database. */
export type Dispatcher = {
  deliver(items: Queued[]): Promise<void>;
  tickProject(projectId: string): Promise<void>;
  /** Reads the project's channel member lists soon (setup, `members sync`); repeats collapse. */
  syncMembers(projectId: string): Promise<void>;
  /** Pulls a lesson feed subscription soon (right after subscribing); repeats collapse. */
  pullLessonFeed(subscriptionId: string): Promise<void>;
  /** Sends actions to their project's tracker, after `delayMs` when given; an action already queued is not queued twice. */
  exportActions(items: readonly { actionId: string; delayMs?: number }[]): Promise<void>;
};
