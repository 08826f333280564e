import type { Platform } from "../domain/inbound-event.ts";

/** Hands work to the queues. Lost work is recovered by the reconciler from the database. */
export type Dispatcher = {
  deliver(items: { id: string; platform: Platform }[]): Promise<void>;
  tickProject(projectId: string): Promise<void>;
};
