// Where an action shows (`actions`, the next retro's review, the App Home), its work item in
// the team's tracker shows beside it: the key and the link, or that it is on its way.
import type { Locale } from "../../domain/locale.ts";
import type { Button, Span } from "../../domain/message.ts";
import type { TrackerKind } from "../../domain/tracker.ts";
import type { ActionRecord } from "../../ports/retro-store.ts";
import type { Stores } from "../../ports/stores.ts";
import type { Deps } from "../deps.ts";
import { SEND_ACTION } from "./send-action.ts";
import { trackerName } from "./tracker-words.ts";

/** Buttons beyond these would crowd the message; the rest are sent with `actions <n> send`. */
const MAX_SEND_BUTTONS = 5;

export type ActionTracking = {
  /** Spans to add after the action's text, empty when it has no tracker. */
  spans(actionId: string, locale: Locale): Span[];
  /** Whether the action's project has a tracker and the action is not in it yet. */
  sendable(actionId: string): boolean;
  tracker(actionId: string): TrackerKind | null;
};

export async function actionTracking(
  deps: Pick<Deps, "prompts">,
  stores: Pick<Stores, "trackers">,
  actions: readonly Pick<ActionRecord, "id" | "projectId">[],
): Promise<ActionTracking> {
  // On the path of every retro opening (its action review): two statements for the whole batch.
  const exports = await stores.trackers.exports(actions.map((action) => action.id));
  const kinds = await stores.trackers.kinds([...new Set(actions.map((action) => action.projectId))]);
  const projectOf = new Map(actions.map((action) => [action.id, action.projectId]));
  const kindOf = (actionId: string) => kinds.get(projectOf.get(actionId) ?? "") ?? null;
  return {
    tracker: kindOf,
    spans(actionId, locale) {
      const record = exports.get(actionId);
      if (!record) return [];
      const name = trackerName(deps, locale, record.tracker ?? kindOf(actionId));
      if (record.status === "sent" && record.externalKey && record.url) {
        return [` · ${name} `, { user: record.externalKey, href: record.url }];
      }
      if (record.status === "pending")
        return [` · ${deps.prompts.t(locale, "trackers.list.pending", { tracker: name })}`];
      return [` · ${deps.prompts.t(locale, "trackers.list.failed", { tracker: name })}`];
    },
    sendable(actionId) {
      const record = exports.get(actionId);
      return kindOf(actionId) !== null && (!record || record.status === "failed");
    },
  };
}

/** A button per numbered action that can go to its tracker, for someone who may send it. */
export function sendButtons(
  deps: Pick<Deps, "prompts">,
  locale: Locale,
  actions: readonly { id: string; number: number }[],
  tracking: ActionTracking,
): Button[] {
  return actions
    .filter((action) => tracking.sendable(action.id))
    .slice(0, MAX_SEND_BUTTONS)
    .map((action) => ({
      actionId: SEND_ACTION,
      label: deps.prompts.t(locale, "trackers.button.send", {
        number: action.number,
        tracker: trackerName(deps, locale, tracking.tracker(action.id)),
      }),
      value: action.id,
    }));
}
