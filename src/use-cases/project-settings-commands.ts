import type { ChannelLanguage } from "../domain/channel-language.ts";
import type { ProjectRoleName } from "../domain/command.ts";
import { languageName, timezoneName } from "../domain/display-names.ts";
import { formatDateTime } from "../domain/format-date.ts";
import { type Message, withUserText } from "../domain/message.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import type { Vars } from "../ports/prompt-catalog.ts";
import type { Deps } from "./deps.ts";
import { ledProject } from "./led-project.ts";
import { reply } from "./messages/reply.ts";
import { nextOpenings } from "./schedule-commands.ts";

const DAY_MINUTES = 24 * 60;

/** A change confirmed with the project's next three retro dates, as every schedule change is. */
async function confirmed(
  deps: Deps,
  person: PersonRecord,
  projectId: string,
  key: string,
  vars: Vars = {},
  /** Names people wrote, kept inert as user text. */
  user: Record<string, string> = {},
): Promise<Message[]> {
  const dates = (await nextOpenings(deps, projectId, 3)).map((date) => formatDateTime(date, person.locale));
  const text = deps.prompts.t(person.locale, key, { ...vars, ...user });
  const next = deps.prompts.t(person.locale, "project.next-dates", { dates: dates.join("; ") });
  return [
    {
      fallback: `${text} ${next}`,
      blocks: [
        {
          type: "paragraph",
          text: withUserText((slots) => deps.prompts.t(person.locale, key, { ...vars, ...slots }), user),
        },
        { type: "context", text: [next] },
      ],
    },
  ];
}

/** One person of the organisation by the start of their name; null unless exactly one matches. */
export async function findPerson(
  deps: Deps,
  person: PersonRecord,
  name: string,
): Promise<{ id: string; displayName: string } | null> {
  const wanted = name.trim().replace(/^@/, "").toLowerCase();
  if (wanted === "") return null;
  const matches = (await deps.stores.projects.people(person.organisationId)).filter((p) =>
    p.displayName.toLowerCase().startsWith(wanted),
  );
  return matches.length === 1 ? (matches[0] ?? null) : null;
}

type Change =
  | { kind: "window"; days: number | null }
  | { kind: "anonymous"; on: boolean | null }
  | { kind: "language"; language: ChannelLanguage | "invalid" | null }
  | { kind: "pulse"; every: number | null }
  | { kind: "votes"; votes: number | null }
  | { kind: "role"; person: string; role: ProjectRoleName | null }
  | { kind: "add"; person: string }
  | { kind: "remove"; person: string };

/** Project roles that reach beyond the team: gate decisions, the organisation's digests. */
const BEYOND_TEAM: readonly ProjectRoleName[] = ["manager", "adviser"];

/**
 * Changes to a project after setup, by its lead or an admin. A lead does not make themselves
 * the manager who decides their own gates, nor an adviser: an admin does that.
 */
export async function changeProject(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  change: Change,
): Promise<Message[]> {
  const { prompts, stores } = deps;
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(prompts, person.locale, target.problem)];
  const { projectId } = target;
  switch (change.kind) {
    case "window":
      if (!change.days) return [reply(prompts, person.locale, "project.window-unclear")];
      await stores.projects.setAnswerWindow(projectId, change.days * DAY_MINUTES);
      return confirmed(deps, person, projectId, "project.window-set", { days: change.days, count: change.days });
    case "pulse":
      if (change.every === null) return [reply(prompts, person.locale, "project.pulse-unclear")];
      await stores.projects.setPulseEvery(projectId, change.every);
      return change.every === 0
        ? [reply(prompts, person.locale, "project.pulse-off")]
        : confirmed(deps, person, projectId, "project.pulse-set", { every: change.every, count: change.every });
    case "votes":
      if (change.votes === null) return [reply(prompts, person.locale, "sense.votes-unclear")];
      await stores.sense.setVotesEach(projectId, change.votes);
      return [reply(prompts, person.locale, "sense.votes-set", { count: change.votes })];
    case "anonymous":
      if (change.on === null) return [reply(prompts, person.locale, "project.anonymous-unclear")];
      await stores.projects.setAnonymous(projectId, change.on);
      await stores.audit.record({
        organisationId: person.organisationId,
        actorId: person.id,
        kind: "privacy.anonymity-changed",
        subject: projectId,
        data: { anonymous: change.on },
      });
      return confirmed(deps, person, projectId, change.on ? "project.anonymous-on" : "project.anonymous-off");
    case "language":
      return changeLanguage(deps, person, projectId, change.language);
    default: {
      if (change.kind === "role" && !change.role) return [reply(prompts, person.locale, "project.role-unclear")];
      const found = await findPerson(deps, person, change.person);
      if (!found) return [reply(prompts, person.locale, "project.who", {}, { name: change.person.slice(0, 40) })];
      const audit = (kind: string, data: Record<string, unknown>) =>
        stores.audit.record({
          organisationId: person.organisationId,
          actorId: person.id,
          kind,
          subject: found.id,
          data,
        });
      if (change.kind === "remove") {
        await stores.projects.leave(projectId, found.id);
        await audit("role.revoked", { role: "all", projectId });
        return confirmed(deps, person, projectId, "project.removed", {}, { person: found.displayName });
      }
      const role = change.kind === "role" ? (change.role as ProjectRoleName) : "member";
      if (found.id === person.id && BEYOND_TEAM.includes(role) && !person.roles.includes("admin")) {
        return [reply(prompts, person.locale, "errors.role-not-yourself")];
      }
      await stores.projects.setRole(projectId, found.id, role, true);
      await audit("role.granted", { role, projectId });
      return confirmed(
        deps,
        person,
        projectId,
        "project.role-set",
        { role: prompts.t(person.locale, `roles.${role}`) },
        { person: found.displayName },
      );
    }
  }
}

/** `project language nl|en|both`: what the team channel reads; without a value, what it reads now. */
async function changeLanguage(
  deps: Deps,
  person: PersonRecord,
  projectId: string,
  language: ChannelLanguage | "invalid" | null,
): Promise<Message[]> {
  const { prompts, stores } = deps;
  const name = (value: ChannelLanguage) => prompts.t(person.locale, `project.language.name.${value}`);
  if (language === "invalid") return [reply(prompts, person.locale, "project.language.unclear")];
  if (language === null) {
    const now = await stores.projects.language(projectId);
    if (!now) return [reply(prompts, person.locale, "errors.not-found")];
    return [reply(prompts, person.locale, "project.language.now", { language: name(now) })];
  }
  await stores.projects.setLanguage(projectId, language);
  return [reply(prompts, person.locale, "project.language.set", { language: name(language) })];
}

/** `leave` in a project's channel: the person opts out of its retros. */
export async function leaveProject(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  const projectId = await deps.stores.directory.projectByChannel(where);
  if (!projectId) return [reply(deps.prompts, person.locale, "project.leave-where")];
  const removed = await deps.stores.projects.leave(projectId, person.id);
  return [reply(deps.prompts, person.locale, removed > 0 ? "project.left" : "project.not-a-member")];
}

/** `settings`: the person's language and timezone; without arguments it shows them. */
export async function changeSettings(
  deps: Deps,
  person: PersonRecord,
  language: "nl" | "en" | "invalid" | null,
  timezone: string | null,
): Promise<Message[]> {
  if (language === "invalid") return [reply(deps.prompts, person.locale, "settings.language-unclear")];
  if (timezone !== null && !isTimezone(timezone)) {
    return [reply(deps.prompts, person.locale, "settings.timezone-unclear", { timezone: timezone.slice(0, 40) })];
  }
  if (language || timezone) {
    await deps.stores.projects.setPersonSettings(person.id, {
      ...(language ? { locale: language } : {}),
      ...(timezone ? { timezone } : {}),
    });
  }
  const locale = language ?? person.locale;
  const current = await deps.stores.projects.personSettings(person.id);
  return [
    reply(deps.prompts, locale, language || timezone ? "settings.saved" : "settings.current", {
      language: languageName(locale, locale),
      timezone: timezoneName(current?.timezone ?? "Europe/Amsterdam"),
    }),
  ];
}

function isTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
