import { DateTime } from "luxon";
import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";

const DEFAULT_TIMEZONE = "Europe/Amsterdam";

/** `away until <date>`: no retro questions until the end of that day; `back` ends it early. */
export async function goAway(deps: Deps, person: PersonRecord, until: string | null): Promise<Message[]> {
  if (!until) return [reply(deps.prompts, person.locale, "away.unclear")];
  const now = deps.clock.now();
  const zone = person.timezone ?? DEFAULT_TIMEZONE;
  const end = DateTime.fromISO(until, { zone }).endOf("day");
  if (end.toJSDate() <= now) return [reply(deps.prompts, person.locale, "away.in-the-past")];
  if (end.diff(DateTime.fromJSDate(now), "days").days > 366) {
    return [reply(deps.prompts, person.locale, "away.too-long")];
  }
  await deps.stores.directory.addAbsence(person.id, now, end.toJSDate());
  const shown = end.setLocale(person.locale === "nl" ? "nl-NL" : "en-GB").toLocaleString(DateTime.DATE_FULL);
  return [reply(deps.prompts, person.locale, "away.set", { until: shown })];
}

export async function comeBack(deps: Deps, person: PersonRecord): Promise<Message[]> {
  const ended = await deps.stores.directory.endAbsences(person.id, deps.clock.now());
  return [reply(deps.prompts, person.locale, ended > 0 ? "away.back" : "away.was-not-away")];
}
