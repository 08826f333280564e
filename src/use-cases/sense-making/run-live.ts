import type { Message } from "../../domain/message.ts";
import type { Address, PersonRecord } from "../../ports/project-records.ts";
import { advanceProject } from "../advance-project.ts";
import type { Deps } from "../deps.ts";
import { ledProject } from "../led-project.ts";
import { reply } from "../messages/reply.ts";
import { SENSE_NEXT } from "../messages/sense-message.ts";
import { loadSense, showSense, tallyVotes } from "./sense-view.ts";

export const isSenseNext = (actionId: string): boolean => actionId === SENSE_NEXT;

/**
 * `retro live 5` (`retro live 5`): the lead runs the sense-making during a meeting. An open
 * retro closes now, so its answers are grouped as with `retro group`; the voting then closes
 * in `minutes`. The end is the session's votingClosesAt in the database, so the project's tick
 * closes it (and counts down once a minute) even across a restart.
 */
export async function runLive(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  minutes: number | null,
): Promise<Message[]> {
  const say = (key: string, vars?: Record<string, string | number>) => reply(deps.prompts, person.locale, key, vars);
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [say(target.problem)];
  if (minutes === null) return [say("sense.live.unclear")];
  const cycle = await deps.stores.retro.latestCycle(target.projectId);
  if (cycle?.status === "open") await advanceProject(deps, target.projectId, { closeNow: true });
  const session = await deps.stores.sense.latest(target.projectId);
  if (!session || (cycle && session.cycleId !== cycle.id)) {
    return [say(cycle?.status === "open" ? "sense.not-started" : "sense.none")];
  }
  if (session.closedAt) return [say("sense.closed")];
  const now = deps.clock.now();
  const closesAt = new Date(now.getTime() + minutes * 60_000);
  if (!(await deps.stores.sense.goLive(session.cycleId, closesAt))) return [say("sense.closed")];
  const state = await loadSense(deps.stores, session.cycleId, now);
  if (state) await showSense(deps, state);
  return [say("sense.live.started", { count: minutes })];
}

/**
 * The lead's *Next* in the walk-through after a live voting: the message shows the next of
 * the top groups, and after the last one the whole result with the proposed team actions.
 * The button carries the step it was shown at, so a replayed or double click moves once.
 */
export async function nextLiveStep(
  deps: Deps,
  person: PersonRecord,
  value: string,
  where: Address,
): Promise<Message[]> {
  const say = (key: string, vars?: Record<string, string | number>) => reply(deps.prompts, person.locale, key, vars);
  const [cycleId = "", stepText = ""] = value.split(":");
  const step = Number(stepText);
  const session = cycleId ? await deps.stores.sense.session(cycleId) : null;
  if (!session?.live || !session.closedAt || !Number.isInteger(step)) return [say("sense.live.not-walking")];
  const target = await ledProject(deps, person, where);
  if ("problem" in target || target.projectId !== session.projectId) return [say("errors.lead-only")];
  const now = deps.clock.now();
  if (!(await deps.stores.sense.stepLive(cycleId, step))) return [say("sense.live.moved-already")];
  const loaded = await loadSense(deps.stores, cycleId, now);
  if (!loaded) return [say("sense.live.not-walking")];
  const { voters, shown, top } = await tallyVotes(deps.stores, loaded);
  const result = {
    voters,
    shown,
    minGroupSize: loaded.project.minGroupSize,
    proposed: new Set(top.map((tally) => tally.groupId)),
    fallbackActions: 0,
  };
  const source = await showSense(deps, { ...loaded, result }, where.conversationRef);
  // Teams answers the click with the card itself; elsewhere the lead hears where the walk is.
  if (where.platform === "teams" && source) return [{ ...source, updatesSource: true }];
  const next = step + 1;
  return [
    next < top.length ? say("sense.live.shown", { index: next + 1, total: top.length }) : say("sense.live.ended"),
  ];
}
