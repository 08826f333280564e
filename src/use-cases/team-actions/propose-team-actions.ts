import { createHash } from "node:crypto";
import type { Locale } from "../../domain/locale.ts";
import type { OutboxItem } from "../../ports/outbox-store.ts";
import type { ProjectRecord } from "../../ports/project-records.ts";
import type { CycleRecord } from "../../ports/retro-store.ts";
import type { Stores } from "../../ports/stores.ts";
import type { TeamActionRecord } from "../../ports/team-action-store.ts";
import { deliverAt } from "../delivery-time.ts";
import type { Deps } from "../deps.ts";
import { forChannel } from "../messages/channel-message.ts";
import { nextRetroOf } from "../retro-schedule.ts";
import { type TeamActionView, teamActionsKeyPrefix, teamActionsMessage } from "./team-action-message.ts";
import { teamActionView } from "./team-action-state.ts";

/** A proposal: what the team might do, with the answers it came from. `key` is unique per cycle. */
export type ActionProposal = { key: string; text: string; sourceAnswerIds: string[] };

/** Longer than any answer may be: a proposal is a sentence or two, not a document. */
const MAX_TEXT = 3000;

/**
 * Records each proposal as a proposed team action of the cycle (once per key: proposing again
 * changes nothing), due at the project's next retro, and returns the message for each of the
 * team's channels that shows them with *I'll take it*, *Rewrite* and, for leads, *Assign*.
 * Nobody owns a proposal: owners take it, or a lead assigns it; never who wrote an answer.
 */
export async function proposeTeamActions(
  deps: Deps,
  stores: Stores,
  project: ProjectRecord,
  cycle: CycleRecord,
  proposals: ActionProposal[],
  now: Date,
): Promise<OutboxItem[]> {
  const wanted = proposals
    .map((proposal) => ({ ...proposal, text: proposal.text.trim().slice(0, MAX_TEXT) }))
    .filter((proposal) => proposal.text !== "");
  if (wanted.length === 0) return [];
  const dueAt = nextRetroOf(deps, project, cycle, now).opensAt;
  const actions = await stores.teamActions.propose(
    wanted.map((proposal) => ({
      projectId: project.id,
      cycleId: cycle.id,
      proposalKey: proposal.key,
      text: proposal.text,
      sourceAnswerId: proposal.sourceAnswerIds.length === 1 ? (proposal.sourceAnswerIds[0] as string) : null,
      dueAt,
    })),
  );
  const shown: { action: TeamActionRecord; view: TeamActionView }[] = [];
  for (const action of actions) shown.push({ action, view: await teamActionView(deps, project, action) });
  const build = (locale: Locale) => teamActionsMessage(deps.prompts, locale, shown);
  // Keyed by the batch, so one proposed again is not posted twice, and another batch of the same cycle is.
  const batch = createHash("sha256")
    .update(actions.map((action) => action.proposalKey).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const notBefore = deliverAt(deps.holidays, now, project.timezone, project.quiet);
  return project.channels.map((address) => ({
    key: `${teamActionsKeyPrefix(cycle.id)}${batch}:${address.platform}`,
    organisationId: project.organisationId,
    address,
    message: forChannel(deps.prompts, project, address, build),
    notBefore,
  }));
}
