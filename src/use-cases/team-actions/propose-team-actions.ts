import type { CycleRecord, OutboxItem, ProjectRecord, Stores } from "../../ports/store.ts";
import type { Deps } from "../deps.ts";
import { nextRetroOf } from "../retro-schedule.ts";

/** A proposed team action: `key` names its source (a group of answers) for good. */
export type ActionProposal = { key: string; text: string; sourceAnswerIds: string[] };

/**
 * Records the team's proposals as actions without an owner, due at the next retro, where they
 * are reviewed. Owners choose an action; nobody is made owner by having written an answer.
 */
export async function proposeTeamActions(
  deps: Deps,
  stores: Stores,
  project: ProjectRecord,
  cycle: CycleRecord,
  proposals: ActionProposal[],
  now: Date,
): Promise<OutboxItem[]> {
  const dueAt = nextRetroOf(deps, project, cycle, now).opensAt;
  await stores.retro.createActions(
    proposals.flatMap((proposal) => {
      const [sourceAnswerId] = proposal.sourceAnswerIds;
      if (!sourceAnswerId) return [];
      return [{ projectId: project.id, cycleId: cycle.id, sourceAnswerId, text: proposal.text, ownerId: null, dueAt }];
    }),
  );
  return [];
}
