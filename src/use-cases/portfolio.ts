import {
  daysBetween,
  gateTiming,
  isActivePhase,
  isStuck,
  mustMeetProgress,
  phaseTargets,
  plannedGate,
} from "../domain/gate.ts";
import type { Message } from "../domain/message.ts";
import { overdueMustMeet, type Portfolio, type PortfolioRow } from "../domain/portfolio.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { portfolioMessage } from "./messages/portfolio-message.ts";
import { reply } from "./messages/reply.ts";
import { personalWebLink, replyIsPrivate } from "./web-link.ts";

/**
 * A manager's projects, or an admin's whole organisation: each with its phase, time in
 * phase, must-meet checkpoints done, last retro's participation, next gate and whether it
 * is stuck. Null for anyone else.
 */
export async function portfolioFor(deps: Deps, person: PersonRecord): Promise<Portfolio | null> {
  const isAdmin = person.roles.includes("admin");
  const manages = (await deps.stores.directory.projectsOf(person.id)).some((project) => project.role === "manager");
  if (!isAdmin && !manages && !person.roles.includes("manager")) return null;
  const settings = await deps.stores.gates.organisationSettings(person.organisationId);
  if (!settings) return null;
  const targets = phaseTargets(settings.phaseTargets);
  const now = deps.clock.now();
  const sources = await deps.stores.gates.portfolio(person.organisationId, isAdmin ? null : person.id);
  const rows = sources.map((source): PortfolioRow => {
    const active = isActivePhase(source.phase) ? source.phase : null;
    const gate = active
      ? plannedGate({ phase: active, phaseSince: source.phaseSince, gateDate: source.gateDate, targets })
      : null;
    const progress = mustMeetProgress(source.checkpoints);
    return {
      projectId: source.projectId,
      name: source.name,
      phase: source.phase,
      phaseSince: source.phaseSince,
      daysInPhase: Math.max(daysBetween(source.phaseSince, now), 0),
      targetDays: active ? targets[active] : null,
      overstaying: gate !== null && gateTiming(now, gate) === "overstaying",
      mustMeetDone: progress.done,
      mustMeetTotal: progress.total,
      overdueMustMeet: active ? overdueMustMeet(source.checkpoints, now) : 0,
      lastRetro: source.lastRetro
        ? { ...source.lastRetro, shown: source.lastRetro.invited >= settings.minGroupSize }
        : null,
      nextGate: gate,
      stuck: active !== null && isStuck(source.checkpoints, now),
    };
  });
  return { scope: isAdmin ? "organisation" : "manager", organisationName: settings.name, rows };
}

/** `portfolio` (`portefeuille`) in chat. */
export async function portfolioCommand(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  const portfolio = await portfolioFor(deps, person);
  if (!portfolio) return [reply(deps.prompts, person.locale, "portfolio.not-allowed")];
  const link = replyIsPrivate(person, where) ? personalWebLink(deps, person, "portfolio") : null;
  return [portfolioMessage({ prompts: deps.prompts, locale: person.locale, portfolio, link })];
}

/** Projects that went three nudges without an answer, for the organisation's digest. */
export async function stuckProjects(deps: Deps, organisationId: string) {
  return deps.stores.gates.stuckProjects(organisationId);
}
