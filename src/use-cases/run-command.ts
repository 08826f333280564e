import { parseCommand } from "../domain/command.ts";
import type { Message, Text } from "../domain/message.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import { comeBack, goAway } from "./absence-commands.ts";
import { listActions, reassignAction, sendNumberedAction, setActionDue } from "./action-commands.ts";
import { attachEvidence, changeFlags, listCheckpoints } from "./checkpoint-commands.ts";
import { manageDaysOff } from "./days-off-commands.ts";
import type { Deps } from "./deps.ts";
import { latestDigest } from "./digest/latest-digest.ts";
import { grantAdmin } from "./grant-admin.ts";
import { guestCommand } from "./guests/guest-commands.ts";
import { feedSubscriptionCommand } from "./lessons/feed-subscriptions.ts";
import { addLessonCommand } from "./lessons/manage-lessons.ts";
import { searchLessonsMessage } from "./lessons/search-lessons.ts";
import { starterLibraryCommand } from "./lessons/starter-command.ts";
import { reply } from "./messages/reply.ts";
import { answerLater, askNextQuestion, currentRetro } from "./one-by-one.ts";
import { portfolioCommand } from "./portfolio.ts";
import { auditLogMessage, privacyMenu } from "./privacy.ts";
import { changeProject, changeSettings, leaveProject } from "./project-settings-commands.ts";
import { changeCadence, chooseFormats, chooseHolidayPolicy, retroNow, skipNext } from "./schedule-commands.ts";
import { runLive } from "./sense-making/run-live.ts";
import { closeVotingNow, groupNow, regroup } from "./sense-making/sense-commands.ts";
import { openSetupForm } from "./setup-project.ts";
import { requestMemberSync } from "./sync-members.ts";
import { trackerCommand } from "./trackers/configure-tracker.ts";
import { answerTyped } from "./typed-answers.ts";
import { webCommand } from "./web-command.ts";

/** Answers a chat command (`help`, `retro now`, `lessons <words>`, `actions`) in the person's language. */
export async function runCommand(
  deps: Deps,
  person: PersonRecord,
  text: string,
  where: Address,
  options: { direct?: boolean; eventKey?: string } = {},
): Promise<Message[]> {
  const command = parseCommand(text);
  const direct = options.direct === true;
  switch (command.name) {
    case "help":
      return [await helpMessage(deps, person, where)];
    case "retro-now":
      return retroNow(deps, person, where);
    case "skip-next":
      return skipNext(deps, person, where);
    case "cadence":
      return changeCadence(deps, person, where, command.cadence, command.problem);
    case "days-off":
      return manageDaysOff(deps, person, command.request);
    case "holidays":
      return chooseHolidayPolicy(deps, person, where, command.policy);
    case "formats":
      return chooseFormats(deps, person, where, command.formats);
    case "away":
      return goAway(deps, person, command.until);
    case "back":
      return comeBack(deps, person);
    case "setup":
      return openSetupForm(deps, person, where, direct || undefined);
    case "settings":
      return changeSettings(deps, person, command.language, command.timezone);
    case "leave":
      return leaveProject(deps, person, where);
    case "members-sync":
      return requestMemberSync(deps, person, where);
    case "window":
      return changeProject(deps, person, where, { kind: "window", days: command.days });
    case "anonymous":
      return changeProject(deps, person, where, { kind: "anonymous", on: command.on });
    case "project-language":
      return changeProject(deps, person, where, { kind: "language", language: command.language });
    case "pulse":
      return changeProject(deps, person, where, { kind: "pulse", every: command.every });
    case "votes":
      return changeProject(deps, person, where, { kind: "votes", votes: command.votes });
    case "retro-group":
      return groupNow(deps, person, where);
    case "retro-live":
      return runLive(deps, person, where, command.minutes);
    case "close-voting":
      return closeVotingNow(deps, person, where);
    case "merge":
      return regroup(deps, person, where, { kind: "merge", from: command.from, into: command.into });
    case "split":
      return regroup(deps, person, where, { kind: "split", group: command.group, answer: command.answer });
    case "regroup-unclear":
      return [reply(deps.prompts, person.locale, command.merge ? "sense.merge-unclear" : "sense.split-unclear")];
    case "role":
      if (command.role === "admin") return grantAdmin(deps, person, command.person);
      return changeProject(deps, person, where, { kind: "role", person: command.person, role: command.role });
    case "add-member":
      return changeProject(deps, person, where, { kind: "add", person: command.person });
    case "remove-member":
      return changeProject(deps, person, where, { kind: "remove", person: command.person });
    case "digest":
      return [await latestDigest(deps, person, command.fresh === true)];
    case "privacy":
      return [privacyMenu(deps, person)];
    case "audit":
      return [await auditLogMessage(deps, person)];
    case "lessons":
      return [await searchLessonsMessage(deps, person, command.query, where)];
    case "lessons-starter":
      return [await starterLibraryCommand(deps, person)];
    case "lesson-add":
      return addLessonCommand(deps, person, command.text, where);
    case "feed-subscribe":
      return feedSubscriptionCommand(deps, person, { action: "subscribe", url: command.url }, where);
    case "feed-unsubscribe":
      return feedSubscriptionCommand(deps, person, { action: "unsubscribe", url: command.url }, where);
    case "feed-subscriptions":
      return feedSubscriptionCommand(deps, person, { action: "list" }, where);
    case "actions":
      return [await listActions(deps, person)];
    case "reassign":
      return reassignAction(deps, person, command.index, command.owner);
    case "send-action":
      return sendNumberedAction(deps, person, command.index);
    case "action-due":
      return setActionDue(deps, person, command.index, command.date);
    case "tracker":
      return trackerCommand(deps, person, where, command.request);
    case "guest":
      return guestCommand(deps, person, where, command.request);
    case "portfolio":
      return portfolioCommand(deps, person, where);
    case "web":
      return webCommand(deps, person, where);
    case "checkpoints":
      return listCheckpoints(deps, person, where);
    case "flags":
      return changeFlags(deps, person, where, command.flag, command.value);
    case "evidence":
      return attachEvidence(deps, person, where, command.key, command.text);
    case "one-by-one":
      return direct ? askNextQuestion(deps, person) : [reply(deps.prompts, person.locale, "retro.typed.in-channel")];
    case "later":
      return answerLater(deps, person);
    case "unknown":
      // Commands win; other text is an answer to the open retro, or a reply that says why not.
      return (
        (direct ? await answerTyped(deps, person, command.text, options.eventKey) : null) ?? [
          await unknownReply(deps, person, command.text, direct),
        ]
      );
  }
}

/**
 * A short unknown word is named back (a typo of a command). A sentence is not echoed cut off:
 * the reply says why it was not saved as an answer (typed where others read along, or no retro open).
 */
async function unknownReply(deps: Deps, person: PersonRecord, text: string, direct: boolean): Promise<Message> {
  const word = text.length <= 40 && text.split(" ").length <= 3;
  if (word) return reply(deps.prompts, person.locale, "errors.unknown-command", {}, { command: text });
  if (!direct && (await currentRetro(deps, person)))
    return reply(deps.prompts, person.locale, "retro.typed.in-channel");
  return reply(deps.prompts, person.locale, "errors.unknown-text");
}

async function helpMessage(deps: Deps, person: PersonRecord, where: Address): Promise<Message> {
  const t = (key: string) => deps.prompts.t(person.locale, key);
  const projects = await deps.stores.directory.projectsOf(person.id);
  const isLead = projects.some((project) => project.role === "lead") || person.roles.includes("admin");
  const commands = [
    "help",
    "web",
    "lessons",
    "lesson-add",
    "actions",
    "one-by-one",
    "away",
    "back",
    "privacy",
    "settings",
    "setup",
    "leave",
    "checkpoints",
    ...(person.roles.includes("admin") ? ["audit", "days-off", "lessons-starter", "lessons-subscribe"] : []),
    ...(isLead
      ? [
          "retro-now",
          "retro-group",
          "retro-live",
          "regroup",
          "votes",
          "skip-next",
          "cadence",
          "formats",
          "holidays",
          "project",
          "project-language",
          "flags",
          "evidence",
          "members-sync",
          "tracker",
          "guest",
        ]
      : []),
    ...(projects.some((project) => project.role === "manager") || person.roles.includes("admin") ? ["portfolio"] : []),
    ...(projects.some((project) => project.role === "adviser") ||
    person.roles.some((role) => role === "adviser" || role === "admin")
      ? ["digest"]
      : []),
  ];
  return {
    fallback: t("help.title"),
    blocks: [
      { type: "heading", text: [t("help.title")] },
      { type: "paragraph", text: [t("help.intro")] },
      { type: "list", items: commands.map((command): Text => [t(`help.commands.${command}`)]) },
      // How to reach Leerlus in a channel differs per platform; the web chat has no channels.
      ...(where.platform === "web" ? [] : [{ type: "context" as const, text: [t(`help.where.${where.platform}`)] }]),
    ],
  };
}
