import type { Message } from "../../domain/message.ts";
import { representativeAnswer } from "../../domain/sense-making.ts";
import type { OutboxItem } from "../../ports/outbox-store.ts";
import type { Stores } from "../../ports/stores.ts";
import type { Deps } from "../deps.ts";
import { themeLabel } from "../messages/sense-message.ts";
import { type ActionProposal, proposeTeamActions } from "../team-actions/propose-team-actions.ts";
import { loadSense, type SenseState, showSense, tallyVotes } from "./sense-view.ts";
import { groupedQuestionKeys } from "./start-sense-making.ts";

export type ClosedVoting = { state: SenseState; items: OutboxItem[]; exports: string[] };

/**
 * Closes a cycle's voting once, inside the caller's unit of work: the groups with the most
 * votes (TOP_GROUPS, each with at least one vote) become proposed team actions. When fewer
 * people voted than the minimum group size, no totals are shown and the answers to the action
 * questions become the proposals, as they did before the team voted. Returns what to show
 * (with {@link showSense}, after the commit) and what to send; null when it was closed already.
 */
export async function closeVoting(
  deps: Deps,
  stores: Stores,
  cycleId: string,
  now: Date,
): Promise<ClosedVoting | null> {
  const loaded = await loadSense(stores, cycleId, now);
  if (!loaded || !(await stores.sense.close(cycleId, now))) return null;
  const { project, cycle, groups } = loaded;
  const { voters, shown, top } = await tallyVotes(stores, loaded);
  const proposals: ActionProposal[] = [];
  for (const tally of top) {
    const group = groups.find((candidate) => candidate.id === tally.groupId);
    const best = group && representativeAnswer(group.answers);
    if (!group || !best) continue;
    const label = group.themeId ? `${themeLabel(deps.prompts, project.locale, group.themeId)}: ` : "";
    proposals.push({
      key: `sense-group:${group.id}`,
      text: `${label}${best.text}`,
      sourceAnswerIds: [best.id, ...group.answers.filter((answer) => answer !== best).map((answer) => answer.id)],
    });
  }
  if (!shown) {
    const actionKeys = new Set(
      cycle.questions[project.locale]
        .filter((question) => question.yields === "action" && groupedQuestionKeys(project, cycle).has(question.key))
        .map((question) => question.key),
    );
    for (const group of groups) {
      for (const answer of group.answers) {
        if (!actionKeys.has(answer.questionKey)) continue;
        proposals.push({ key: `answer:${answer.id}`, text: answer.text, sourceAnswerIds: [answer.id] });
      }
    }
  }
  const items = await proposeTeamActions(deps, stores, project, cycle, proposals, now);
  // The actions the team agreed go to its tracker now, when the lead chose so (`tracker auto on`).
  const exports = await stores.trackers.requestForCycle(project.id, cycle.id, now);
  return {
    state: {
      ...loaded,
      result: {
        voters,
        shown,
        minGroupSize: project.minGroupSize,
        proposed: new Set(top.map((tally) => tally.groupId)),
        fallbackActions: shown ? 0 : proposals.length,
      },
    },
    items,
    exports,
  };
}

/** After the commit: sends what closing the voting queued and shows the result where the groups were posted. */
export async function showVotingClosed(
  deps: Deps,
  closed: ClosedVoting,
  conversationRef?: string,
): Promise<Message | null> {
  const queued = await deps.stores.outbox.enqueue(closed.items);
  if (queued.length > 0) await deps.dispatcher.deliver(queued);
  if (closed.exports.length > 0) await deps.dispatcher.exportActions(closed.exports.map((actionId) => ({ actionId })));
  return showSense(deps, closed.state, conversationRef);
}
