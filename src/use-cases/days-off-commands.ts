import { type DaysOffRequest, MAX_DAYS_OFF_RANGE } from "../domain/days-off-text.ts";
import type { Message } from "../domain/message.ts";
import { localDate } from "../domain/working-time.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";

/** 28-12-2026 in Dutch, 2026-12-28 in English: how each language writes a date in commands. */
function shown(date: string, locale: PersonRecord["locale"]): string {
  return locale === "nl" ? date.split("-").reverse().join("-") : date;
}

/**
 * `days off [add|remove] <date> [<date>]`: the organisation's own days off, which the schedule
 * treats like public holidays. Anyone may list them; only an administrator changes them.
 */
export async function manageDaysOff(deps: Deps, person: PersonRecord, request: DaysOffRequest): Promise<Message[]> {
  const say = (key: string, vars: Record<string, string | number> = {}) => [
    reply(deps.prompts, person.locale, `retro.days-off.${key}`, vars),
  ];
  const organisationId = person.organisationId;
  if (request.action === "list") {
    const today = localDate(deps.clock.now(), person.timezone ?? "Europe/Amsterdam");
    const dates = await deps.stores.daysOff.list(organisationId, today);
    if (dates.length === 0) return say("none");
    return say("list", { dates: dates.map((date) => shown(date, person.locale)).join(", ") });
  }
  if (!person.roles.includes("admin")) return say("admin-only");
  if ("problem" in request) {
    if (request.problem === "date") return say("date", { date: request.text });
    return say(request.problem, { max: MAX_DAYS_OFF_RANGE });
  }
  const { dates } = request;
  const count =
    request.action === "add"
      ? await deps.stores.daysOff.add(organisationId, dates)
      : await deps.stores.daysOff.remove(organisationId, dates);
  await deps.stores.audit.record({
    organisationId,
    actorId: person.id,
    kind: request.action === "add" ? "days-off.added" : "days-off.removed",
    subject: organisationId,
    data: { from: dates[0], to: dates.at(-1), count },
  });
  return say(request.action === "add" ? "added" : "removed", {
    count,
    from: shown(dates[0] ?? "", person.locale),
    to: shown(dates.at(-1) ?? "", person.locale),
  });
}
