import type { Deps } from "../deps.ts";
import { loadSense, showSense } from "./sense-view.ts";

/**
 * The project's tick: rewrites the countdown of each live voting still open. The message
 * changes once a minute, and only a changed message is sent again.
 */
export async function refreshLiveCountdowns(deps: Deps, projectIds: readonly string[]): Promise<void> {
  const now = deps.clock.now();
  for (const session of await deps.stores.sense.liveOpen(projectIds)) {
    const state = await loadSense(deps.stores, session.cycleId, now);
    if (state) await showSense(deps, state);
  }
}
