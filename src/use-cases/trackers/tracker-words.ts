import type { Locale } from "../../domain/locale.ts";
import type { TrackerKind } from "../../domain/tracker.ts";
import type { Deps } from "../deps.ts";

/** "Jira" or "Azure DevOps"; for a tracker that is gone, the general word. */
export function trackerName(deps: Pick<Deps, "prompts">, locale: Locale, kind: TrackerKind | null): string {
  return deps.prompts.t(locale, `trackers.name.${kind ?? "none"}`);
}
