import type { Message } from "../../domain/message.ts";
import type { Address, PersonRecord } from "../../ports/project-records.ts";
import { advanceProject } from "../advance-project.ts";
import type { Deps } from "../deps.ts";
import { ledProject } from "../led-project.ts";
import { reply } from "../messages/reply.ts";
import { closeVoting, showVotingClosed } from "./close-voting.ts";
import { loadSense, showSense } from "./sense-view.ts";

export type Regroup = { kind: "merge"; from: number; into: number } | { kind: "split"; group: number; answer: number };

/**
 * The lead merges two groups (`samenvoegen 3 1`: group 3 goes into group 1) or puts an answer
 * in a group of its own (`splitsen 2.3`), while the voting is open. The channel message is
 * rewritten in place; group numbers stay as they were, a split answer gets the next number.
 */
export async function regroup(deps: Deps, person: PersonRecord, where: Address, change: Regroup): Promise<Message[]> {
  const say = (key: string, vars?: Record<string, string | number>) => reply(deps.prompts, person.locale, key, vars);
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [say(target.problem)];
  const session = await deps.stores.sense.latest(target.projectId);
  if (!session) return [say("sense.none")];
  if (session.closedAt) return [say("sense.closed")];
  const now = deps.clock.now();
  const outcome = await deps.unitOfWork(`project:${target.projectId}`, async (tx) => {
    const groups = await tx.sense.groups(session.cycleId);
    const find = (position: number) => groups.find((group) => group.position === position);
    if ((await tx.sense.session(session.cycleId))?.closedAt) return say("sense.closed");
    if (change.kind === "merge") {
      const from = find(change.from);
      const into = find(change.into);
      const missing = !from ? change.from : !into ? change.into : null;
      if (missing !== null || !from || !into) return say("sense.no-group", { number: missing ?? change.from });
      if (from.id === into.id) return say("sense.merge-same");
      await tx.sense.merge(from.id, into.id);
      return say("sense.merged", { from: change.from, into: change.into });
    }
    const group = find(change.group);
    if (!group) return say("sense.no-group", { number: change.group });
    const answer = group.answers[change.answer - 1];
    if (!answer) return say("sense.no-answer", { answer: `${change.group}.${change.answer}` });
    if (group.answers.length === 1) return say("sense.split-alone", { number: change.group });
    const position = await tx.sense.split(session.cycleId, answer.id);
    return say("sense.split", { answer: `${change.group}.${change.answer}`, number: position });
  });
  const state = await loadSense(deps.stores, session.cycleId, now);
  if (state) await showSense(deps, state);
  return [outcome];
}

/**
 * `retro group` (`retro groeperen`): the lead closes the answer window now, so the answers
 * are grouped and the voting starts; with too few answers the summary follows as usual.
 */
export async function groupNow(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  const cycle = await deps.stores.retro.latestCycle(target.projectId);
  if (cycle?.status !== "open") return [reply(deps.prompts, person.locale, "sense.no-open-retro")];
  await advanceProject(deps, target.projectId, { closeNow: true });
  const started = await deps.stores.sense.session(cycle.id);
  return [reply(deps.prompts, person.locale, started ? "sense.started" : "sense.not-started")];
}

/** `close voting` (`stemming sluiten`): the lead ends the voting before its time. */
export async function closeVotingNow(deps: Deps, person: PersonRecord, where: Address): Promise<Message[]> {
  const target = await ledProject(deps, person, where);
  if ("problem" in target) return [reply(deps.prompts, person.locale, target.problem)];
  const session = await deps.stores.sense.latest(target.projectId);
  if (!session) return [reply(deps.prompts, person.locale, "sense.none")];
  const now = deps.clock.now();
  const closed = await deps.unitOfWork(`project:${target.projectId}`, (tx) =>
    closeVoting(deps, tx, session.cycleId, now),
  );
  if (!closed) return [reply(deps.prompts, person.locale, "sense.closed")];
  await showVotingClosed(deps, closed);
  return [reply(deps.prompts, person.locale, "sense.closed-now")];
}
