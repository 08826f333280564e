import type { CadenceProblem, CadenceWithoutZone } from "../domain/cadence-text.ts";
import { formatDateTime } from "../domain/format-date.ts";
import type { Message } from "../domain/message.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import { advanceProject } from "./advance-project.ts";
import type { Deps } from "./deps.ts";
import { ledProject } from "./led-project.ts";
import { reply } from "./messages/reply.ts";
import { upcomingRetrosOf } from "./retro-schedule.ts";

/** `retro now`: the lead opens a cycle right away (unless one is open). */
export async function retroNow(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  const before = await deps.stores.retro.latestCycle(target.projectId);
  if (before?.status === "open") {
    const closes = formatDateTime(before.closesAt, person.locale);
    return [reply(deps.prompts, person.locale, "retro.now.already-open", { closes })];
  }
  await advanceProject(deps, target.projectId, { openNow: true });
  return [reply(deps.prompts, person.locale, "retro.now.started")];
}

/** `skip next`: the next scheduled cycle is recorded as skipped instead of opened. */
export async function skipNext(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  await deps.stores.retro.setSkipNext(target.projectId, true);
  const [skipped, following] = await nextOpenings(deps, target.projectId, 2);
  return [
    reply(deps.prompts, person.locale, "retro.skip.done", {
      skipped: skipped ? formatDateTime(skipped, person.locale) : "-",
      next: following ? formatDateTime(following, person.locale) : "-",
    }),
  ];
}

/** `cadence …`: the lead changes when retros happen; the reply shows the next three dates. */
export async function changeCadence(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  cadence: CadenceWithoutZone | null,
  problem: CadenceProblem | null = null,
): Promise<Message[]> {
  // A cadence that cannot be is refused before anything changes, saying why.
  if (problem?.problem === "interval") return [reply(deps.prompts, person.locale, "retro.cadence.interval", problem)];
  if (problem?.problem === "time") return [reply(deps.prompts, person.locale, "retro.cadence.time", problem)];
  if (!cadence) return [reply(deps.prompts, person.locale, "retro.cadence.unclear")];
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  const project = await deps.stores.retro.project(target.projectId, deps.clock.now());
  if (!project) return [reply(deps.prompts, person.locale, "errors.not-found")];
  const timezone = "timezone" in project.cadence ? project.cadence.timezone : project.timezone;
  // A new cadence is a new series: its slots count from now.
  await deps.stores.retro.setCadence(target.projectId, { ...cadence, timezone }, deps.clock.now());
  const dates = (await nextOpenings(deps, target.projectId, 3)).map((date) =>
    formatDateTime(date, person.locale, timezone),
  );
  return [reply(deps.prompts, person.locale, "retro.cadence.changed", { dates: dates.join("; ") })];
}

/**
 * `formats a b c`: the project's retros rotate through these formats, one per cycle;
 * without names, the reply lists the formats there are and the current rotation.
 */
export async function chooseFormats(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  formats: string[],
): Promise<Message[]> {
  const known = ["phase", ...deps.prompts.retroFormatIds()];
  const unknown = formats.filter((format) => !known.includes(format));
  if (formats.length === 0 || unknown.length > 0) {
    const available = known.map((id) =>
      id === "phase" ? id : `${id} (${deps.prompts.retroFormat(id, person.locale).name})`,
    );
    return [reply(deps.prompts, person.locale, "retro.formats.choose", { formats: available.join(", ") })];
  }
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  await deps.stores.retro.setFormatRotation(target.projectId, formats);
  return [reply(deps.prompts, person.locale, "retro.formats.set", { formats: formats.join(" → ") })];
}

/** `holidays move|skip`: what a retro falling on a public holiday does. */
export async function chooseHolidayPolicy(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  policy: "move" | "skip" | null,
): Promise<Message[]> {
  if (!policy) return [reply(deps.prompts, person.locale, "retro.holidays.unclear")];
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  await deps.stores.retro.setHolidayPolicy(target.projectId, policy);
  return [reply(deps.prompts, person.locale, `retro.holidays.${policy}`)];
}

/** The next `count` openings of a project's schedule, holidays and skips applied. */
export async function nextOpenings(deps: Deps, projectId: string, count: number): Promise<Date[]> {
  const now = deps.clock.now();
  const project = await deps.stores.retro.project(projectId, now);
  if (!project) return [];
  const latest = await deps.stores.retro.latestCycle(projectId);
  const upcoming = upcomingRetrosOf(deps, project, latest, count, now);
  // A retro that is due opens at the next tick, and one after an open cycle when it closes.
  const earliest = latest?.status === "open" ? latest.closesAt : now;
  return upcoming.map(({ opensAt }) => new Date(Math.max(opensAt.getTime(), earliest.getTime())));
}
