import { snoozeUntil } from "../domain/checkpoint-due.ts";
import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";
import { formatDateTime } from "./messages/format-date.ts";
import { reply } from "./messages/reply.ts";

export const CHECKPOINT_DONE_ACTION = "checkpoint.done";
export const CHECKPOINT_SNOOZE_ACTION = "checkpoint.snooze";

/** A manager marks a checkpoint done or snoozes it; only the project's managers and admins may. */
export async function resolveCheckpoint(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  value: string,
): Promise<Message[]> {
  const { prompts, stores } = deps;
  const [checkpointId = "", weeksText = "1"] = value.split(":");
  const checkpoint = await stores.checkpoints.get(checkpointId);
  if (!checkpoint) return [reply(prompts, person.locale, "errors.not-found")];
  const memberships = await stores.directory.projectsOf(person.id);
  const isManager = memberships.some((m) => m.projectId === checkpoint.projectId && m.role === "manager");
  const organisationOk =
    (await stores.retro.project(checkpoint.projectId, deps.clock.now()))?.organisationId === person.organisationId;
  if (!organisationOk || !(isManager || person.roles.includes("admin"))) {
    return [reply(prompts, person.locale, "errors.not-allowed")];
  }
  const now = deps.clock.now();
  const key = `checkpoints.${checkpoint.phase}.${checkpoint.key}`;
  const title = checkpointQuestion(deps, checkpoint.phase, checkpoint.key, person.locale) ?? key;
  if (actionId === CHECKPOINT_DONE_ACTION) {
    await deps.unitOfWork(`checkpoint:${checkpoint.id}`, async (tx) => {
      await tx.checkpoints.decide(checkpoint.id, { status: "done", personId: person.id, evidence: null, at: now });
      await tx.audit.record({
        organisationId: person.organisationId,
        actorId: person.id,
        kind: "checkpoint.done",
        subject: checkpoint.id,
      });
    });
    return [reply(prompts, person.locale, "checkpoint.marked-done", { checkpoint: title })];
  }
  const weeks = Math.min(Math.max(Number.parseInt(weeksText, 10) || 1, 1), 4);
  const until = snoozeUntil(now, weeks);
  await stores.checkpoints.snooze(checkpoint.id, until);
  return [
    reply(prompts, person.locale, "checkpoint.snoozed", {
      checkpoint: title,
      until: formatDateTime(until, person.locale),
    }),
  ];
}

export function checkpointQuestion(
  deps: Deps,
  phase: string,
  key: string,
  locale: PersonRecord["locale"],
): string | undefined {
  if (phase !== "explore" && phase !== "pilot" && phase !== "implement" && phase !== "scale") return undefined;
  return deps.prompts.checkpoints(phase, locale).find((definition) => definition.key === key)?.question;
}
