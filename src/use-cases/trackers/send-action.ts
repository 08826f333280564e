import { type Message, plain } from "../../domain/message.ts";
import type { PersonRecord } from "../../ports/project-records.ts";
import type { TrackerItem } from "../../ports/tracker.ts";
import type { Deps } from "../deps.ts";
import { leadsProject } from "../led-project.ts";
import { reply } from "../messages/reply.ts";
import { exportAction } from "./export-action.ts";
import { trackerName } from "./tracker-words.ts";

/** The button beside an open action in `actions`; its value is the action's id. */
export const SEND_ACTION = "tracker.send";

/** The reply naming the work item, its key a link that opens it. */
function linked(deps: Deps, person: PersonRecord, key: string, tracker: string, item: TrackerItem): Message {
  const text = reply(deps.prompts, person.locale, key, { tracker }, { key: item.key }).blocks.flatMap((block) =>
    block.type === "paragraph" ? block.text : [],
  );
  const withLink = text.map((span) => (typeof span === "string" ? span : { ...span, href: item.url }));
  return { fallback: plain(withLink), blocks: [{ type: "paragraph", text: withLink }] };
}

/** Its owner, the project's lead, or an admin of the organisation. */
async function maySend(deps: Deps, person: PersonRecord, action: { projectId: string; ownerIds: string[] }) {
  return action.ownerIds.includes(person.id) || leadsProject(deps, person, action.projectId);
}

/**
 * Sends one action to the project's tracker now and answers with its link. Clicked twice, or
 * sent again, it makes no second work item: the second answer is the first one's link. When
 * the tracker does not answer, the queue keeps trying and the link appears in `actions`.
 */
export async function sendAction(deps: Deps, person: PersonRecord, actionId: string): Promise<Message[]> {
  const t = (key: string, vars: Record<string, string> = {}, user?: Record<string, string>) =>
    reply(deps.prompts, person.locale, key, vars, user);
  const action = await deps.stores.retro.action(actionId);
  if (!action) return [t("errors.not-found")];
  if (!(await maySend(deps, person, action))) return [t("trackers.send.not-allowed")];
  const settings = await deps.stores.trackers.settings(action.projectId);
  if (!settings) return [t("trackers.send.no-tracker")];
  const tracker = trackerName(deps, person.locale, settings.kind);
  const record = await deps.stores.trackers.request(actionId, action.projectId, deps.clock.now());
  if (record.status === "sent" && record.externalKey && record.url) {
    const sentTo = trackerName(deps, person.locale, record.tracker ?? settings.kind);
    return [linked(deps, person, "trackers.send.already", sentTo, { key: record.externalKey, url: record.url })];
  }
  const outcome = await exportAction(deps, actionId);
  switch (outcome.kind) {
    case "sent":
      return [linked(deps, person, "trackers.send.sent", tracker, outcome.item)];
    case "retry":
      await deps.dispatcher.exportActions([{ actionId, delayMs: outcome.delayMs }]);
      return [t("trackers.send.later", { tracker })];
    case "busy":
      return [t("trackers.send.busy", { tracker })];
    case "failed": {
      const project = (await deps.stores.retro.project(action.projectId, deps.clock.now()))?.name ?? "";
      const vars = { tracker, fields: outcome.fields.join(", ") || "-" };
      return [t(`trackers.problem.${outcome.problem}`, vars, { project })];
    }
  }
}
