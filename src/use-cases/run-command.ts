import { parseCommand } from "../domain/command.ts";
import type { Message, Text } from "../domain/message.ts";
import type { Address, PersonRecord } from "../ports/store.ts";
import { comeBack, goAway } from "./absence-commands.ts";
import { auditLogMessage, privacyMenu } from "./privacy.ts";
import { listActions, reassignAction } from "./action-commands.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";
import { portfolioCommand } from "./portfolio.ts";
import { changeCadence, chooseFormats, chooseHolidayPolicy, retroNow, skipNext } from "./schedule-commands.ts";

const LESSON_RESULTS = 5;

/** Answers a chat command (`help`, `retro now`, `lessons <words>`, `actions`) in the person's language. */
export async function runCommand(deps: Deps, person: PersonRecord, text: string, where: Address): Promise<Message[]> {
  const command = parseCommand(text);
  switch (command.name) {
    case "help":
      return [await helpMessage(deps, person)];
    case "retro-now":
      return retroNow(deps, person, where);
    case "skip-next":
      return skipNext(deps, person, where);
    case "cadence":
      return changeCadence(deps, person, where, command.cadence);
    case "holidays":
      return chooseHolidayPolicy(deps, person, where, command.policy);
    case "formats":
      return chooseFormats(deps, person, where, command.formats);
    case "away":
      return goAway(deps, person, command.until);
    case "back":
      return comeBack(deps, person);
    case "privacy":
      return [privacyMenu(deps, person)];
    case "audit":
      return [await auditLogMessage(deps, person)];
    case "lessons":
      return [await lessonsMessage(deps, person, command.query)];
    case "actions":
      return [await listActions(deps, person)];
    case "reassign":
      return reassignAction(deps, person, command.index, command.owner);
    case "portfolio":
      return portfolioCommand(deps, person);
    case "unknown":
      return [reply(deps.prompts, person.locale, "errors.unknown-command", { command: command.text.slice(0, 40) })];
  }
}

async function helpMessage(deps: Deps, person: PersonRecord): Promise<Message> {
  const t = (key: string) => deps.prompts.t(person.locale, key);
  const projects = await deps.stores.directory.projectsOf(person.id);
  const isLead = projects.some((project) => project.role === "lead") || person.roles.includes("admin");
  const commands = [
    "help",
    "lessons",
    "actions",
    "away",
    "back",
    "privacy",
    ...(person.roles.includes("admin") ? ["audit"] : []),
    ...(isLead ? ["retro-now", "skip-next", "cadence", "formats", "holidays"] : []),
    ...(projects.some((project) => project.role === "manager") || person.roles.includes("admin") ? ["portfolio"] : []),
  ];
  return {
    fallback: t("help.title"),
    blocks: [
      { type: "heading", text: [t("help.title")] },
      { type: "paragraph", text: [t("help.intro")] },
      { type: "list", items: commands.map((command): Text => [t(`help.commands.${command}`)]) },
    ],
  };
}

async function lessonsMessage(deps: Deps, person: PersonRecord, query: string): Promise<Message> {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(person.locale, key, vars);
  const hits = await deps.stores.lessons.search({
    organisationId: person.organisationId,
    personId: person.id,
    query: query.slice(0, 200),
    limit: LESSON_RESULTS,
  });
  const heading = query
    ? t("lessons.results", { query: query.slice(0, 200), count: hits.length })
    : t("lessons.recent");
  if (hits.length === 0) {
    const none = t("lessons.none");
    return {
      fallback: none,
      blocks: [
        { type: "paragraph", text: [heading] },
        { type: "paragraph", text: [none] },
      ],
    };
  }
  const labels = new Map(deps.prompts.themes(person.locale).map((theme) => [theme.id, theme.label]));
  return {
    fallback: heading,
    blocks: [
      { type: "heading", text: [heading] },
      {
        type: "list",
        items: hits.map(
          (hit): Text => [
            { user: hit.text },
            " — ",
            hit.projectName ? { user: hit.projectName } : "",
            ` (${t(`phases.${hit.phase}`)}${hit.themes.length ? `; ${hit.themes.map((id) => labels.get(id) ?? id).join(", ")}` : ""})`,
          ],
        ),
      },
    ],
  };
}
